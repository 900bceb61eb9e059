// Sign-up: suggest the short name (slug) from the organisation name until the person types
// their own. The server makes the same suggestion when the field is left empty.
(function () {
  "use strict";
  function slugify(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50)
      .replace(/-+$/g, "");
  }
  function ready() {
    var name = document.getElementById("id_organisation_name");
    var slug = document.getElementById("id_slug");
    if (!name || !slug) return;
    var touched = slug.value !== "" && slug.value !== slugify(name.value);
    slug.addEventListener("input", function () { touched = slug.value !== ""; });
    name.addEventListener("input", function () {
      if (!touched) slug.value = slugify(name.value);
    });
  }
  if (document.readyState !== "loading") ready();
  else document.addEventListener("DOMContentLoaded", ready);
})();
