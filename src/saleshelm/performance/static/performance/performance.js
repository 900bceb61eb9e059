// Performance pages. Everything works without this file (the forms have their buttons and
// the server checks every rule); it only adds comfort: pickers that apply on change, and a
// target form that shows the fields that matter and adds the month weights up as you type.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function parseNumber(text) {
    // Accept both 12,5 and 12.5 (and thousands separators): the last separator is decimal.
    var t = String(text || "").trim().replace(/\s/g, "");
    if (!t) return null;
    var last = Math.max(t.lastIndexOf(","), t.lastIndexOf("."));
    var whole = last >= 0 ? t.slice(0, last).replace(/[.,]/g, "") : t;
    var frac = last >= 0 ? t.slice(last + 1) : "";
    var n = Number(whole + (frac ? "." + frac : ""));
    return isFinite(n) ? n : NaN;
  }

  function monthsOf(periodKey) {
    if (/^\d{4}-\d{2}$/.test(periodKey)) return 1;
    if (/^\d{4}-Q[1-4]$/.test(periodKey)) return 3;
    if (/^\d{4}$/.test(periodKey)) return 12;
    return 12;
  }

  ready(function () {
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      form.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
      form.querySelectorAll("select").forEach(function (select) {
        select.addEventListener("change", function () { form.submit(); });
      });
    });

    var form = document.querySelector("form[data-target-form]");
    if (!form) return;
    var weights = form.querySelector("[data-weights]");
    var total = form.querySelector("[data-weights-total]");
    var inputs = Array.prototype.slice.call(form.querySelectorAll(".weight-input"));
    var period = form.querySelector("select[name=period]");

    function checked(name) {
      var el = form.querySelector("input[name=" + name + "]:checked");
      return el ? el.value : "";
    }

    function showAssignee() {
      var kind = checked("assignee_type");
      form.querySelectorAll("[data-assignee]").forEach(function (box) {
        var which = box.getAttribute("data-assignee");
        box.hidden = !(which === kind || (which === "any" && kind));
      });
    }

    function refreshWeights() {
      var pattern = checked("distribution") === "pattern";
      if (weights) weights.hidden = !pattern;
      var n = period ? monthsOf(period.value) : inputs.length;
      var sum = 0;
      var bad = false;
      inputs.forEach(function (input, i) {
        var field = input.closest(".field");
        if (field) field.hidden = i >= n;
        if (i < n) {
          var v = parseNumber(input.value);
          if (v === null) return;
          if (isNaN(v)) bad = true;
          else sum += v;
        }
      });
      if (total) {
        total.hidden = !pattern;
        var rounded = Math.round(sum * 10000) / 10000;
        total.textContent = (document.documentElement.lang === "vi" ? "Tổng: " : "Total: ") +
          String(rounded).replace(".", document.documentElement.lang === "vi" ? "," : ".") + " %";
        total.classList.toggle("is-off", bad || Math.abs(rounded - 100) > 1e-9);
      }
    }

    form.addEventListener("change", function () { showAssignee(); refreshWeights(); });
    form.addEventListener("input", refreshWeights);
    showAssignee();
    refreshWeights();
  });
})();
