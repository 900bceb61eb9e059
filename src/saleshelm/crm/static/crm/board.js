// Pipeline board: drag a deal card to another stage, or move it with the keyboard.
//
// Every card that may move carries a plain "Move to" form (stage + the version the page
// showed) that works without this file. This script only makes moving faster: dropping a
// card, or pressing ArrowLeft/ArrowRight on a focused card, submits that same form in the
// background and swaps in the refreshed page, keeping focus on the moved card.
(function () {
  "use strict";

  var busy = false;

  function board() {
    return document.querySelector("[data-board]");
  }

  function columns() {
    var b = board();
    return b ? Array.prototype.slice.call(b.querySelectorAll(".board-column")) : [];
  }

  function announce(text) {
    var status = document.getElementById("board-status");
    if (status) status.textContent = text;
  }

  function cardFrom(node) {
    return node && node.closest ? node.closest(".board-card") : null;
  }

  function submitMove(card, stageId) {
    var form = card.querySelector("form.move-form");
    if (!form || busy) return;
    if (String(stageId) === card.getAttribute("data-stage")) return;
    var select = form.querySelector("select[name=stage]");
    select.value = String(stageId);
    var column = document.querySelector('.board-column[data-stage="' + stageId + '"]');
    var stageName = column ? column.getAttribute("data-stage-name") : "";
    var cardId = card.getAttribute("data-id");
    if (!window.fetch || !window.DOMParser) {
      form.submit();
      return;
    }
    busy = true;
    card.classList.add("is-moving");
    var main = document.getElementById("main");
    main.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "follow",
      headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("main");
        if (!fresh) throw new Error("no page");
        main.innerHTML = fresh.innerHTML;
        var moved = document.getElementById("card-" + cardId);
        if (moved) {
          moved.focus();
          var where = moved.closest(".board-column");
          var now = where ? where.getAttribute("data-stage-name") : stageName;
          announce(moved.querySelector(".board-card-title").textContent + ": " + now);
        }
      })
      .catch(function () {
        // Fall back to the ordinary form post and page load.
        form.submit();
      })
      .then(function () {
        busy = false;
        main.removeAttribute("aria-busy");
      });
  }

  // --- drag and drop -----------------------------------------------------------------------
  var dragged = null;

  document.addEventListener("dragstart", function (event) {
    var card = cardFrom(event.target);
    if (!card || !card.classList.contains("is-movable")) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-id"));
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    columns().forEach(function (c) { c.classList.remove("is-over"); });
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var column = event.target.closest ? event.target.closest(".board-column") : null;
    if (!column) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    columns().forEach(function (c) { c.classList.toggle("is-over", c === column); });
  });

  document.addEventListener("drop", function (event) {
    if (!dragged) return;
    var column = event.target.closest ? event.target.closest(".board-column") : null;
    if (!column) return;
    event.preventDefault();
    var card = dragged;
    column.classList.remove("is-over");
    submitMove(card, column.getAttribute("data-stage"));
  });

  // --- keyboard ----------------------------------------------------------------------------
  document.addEventListener("keydown", function (event) {
    var card = event.target;
    if (!card.classList || !card.classList.contains("board-card")) return;
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    if (!card.classList.contains("is-movable")) return;
    var cols = columns();
    var index = cols.indexOf(card.closest(".board-column"));
    var next = cols[index + (event.key === "ArrowRight" ? 1 : -1)];
    if (!next) return;
    event.preventDefault();
    submitMove(card, next.getAttribute("data-stage"));
  });

  // The "Move to" button also moves in the background when this script runs.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("move-form")) return;
    var card = cardFrom(form);
    if (!card) return;
    event.preventDefault();
    var stage = form.querySelector("select[name=stage]").value;
    if (stage === card.getAttribute("data-stage")) return;
    submitMove(card, stage);
  });
})();
