// The statement's Print button (the page prints well without it: see pay.css @media print).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
