/* The app's own behaviour on every page; no inline scripts (CSP). */
(function () {
  "use strict";

  var DMY = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/;

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  /* A dd/mm/yyyy that names a real day, as a Date; anything else gives null. */
  function parseDMY(text) {
    var m = DMY.exec(text || "");
    if (!m) return null;
    var day = +m[1], month = +m[2], year = +m[3];
    var date = new Date(year, month - 1, day);
    if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
    return date;
  }

  /* Date fields: typing stays free (the server checks and explains); a button beside the box
     opens a Vietnamese calendar. The calendar never rewrites what was typed unless a day is
     picked, so a mistyped 31/02 stays on screen to be corrected. */
  function enhanceDateInput(input) {
    if (input.dataset.dateReady) return;
    input.dataset.dateReady = "1";
    var group = document.createElement("div");
    group.className = "input-group date-field flex-nowrap";
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    input.setAttribute("data-input", "");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary";
    button.setAttribute("data-toggle", "");
    button.setAttribute("aria-label", "Chọn ngày trên lịch");
    button.title = "Chọn ngày trên lịch";
    button.innerHTML = '<i class="bi bi-calendar3" aria-hidden="true"></i>';
    button.disabled = input.disabled;
    group.appendChild(button);

    input.addEventListener("blur", function () {
      var date = parseDMY(input.value);
      if (date) input.value = pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + "/" + date.getFullYear();
    });

    if (typeof window.flatpickr !== "function") return;
    var picker = window.flatpickr(group, {
      wrap: true,
      allowInput: false,
      clickOpens: false,
      disableMobile: true,
      dateFormat: "d/m/Y",
      locale: (window.flatpickr.l10ns && window.flatpickr.l10ns.vn) || "default",
      monthSelectorType: "static",
      parseDate: function (text) {
        return parseDMY(text) || undefined;
      },
      onOpen: function (selected, text, instance) {
        var date = parseDMY(input.value);
        if (date) {
          instance.setDate(date, false);
        } else {
          instance.selectedDates = [];
          instance.jumpToDate(new Date());
          instance.redraw();
        }
      },
      onChange: function () {
        input.dispatchEvent(new Event("change", { bubbles: true }));
      },
    });
    // flatpickr makes the box read-only when it does not parse typing itself; typing stays ours.
    input.removeAttribute("readonly");
    input.addEventListener("input", function () {
      if (picker.isOpen) picker.close();
    });
  }

  /* File inputs: the browser's own button and "No file chosen" speak the browser's language;
     a Vietnamese button and the chosen names replace them (the input stays focusable). */
  function enhanceFileInput(input) {
    if (input.dataset.fileReady || !input.id) return;
    input.dataset.fileReady = "1";
    var box = document.createElement("div");
    box.className = "file-picker";
    input.parentNode.insertBefore(box, input);
    box.appendChild(input);
    input.classList.add("file-picker-input");
    var button = document.createElement("label");
    button.className = "btn btn-outline-primary file-picker-button";
    button.htmlFor = input.id;
    button.innerHTML = '<i class="bi bi-paperclip" aria-hidden="true"></i> ' + (input.multiple ? "Chọn các tệp" : "Chọn tệp");
    var names = document.createElement("span");
    names.className = "file-picker-names text-muted";
    names.setAttribute("aria-live", "polite");
    var empty = input.multiple ? "Chưa chọn tệp nào" : "Chưa chọn tệp";
    names.textContent = empty;
    box.appendChild(button);
    box.appendChild(names);
    input.addEventListener("change", function () {
      var files = Array.prototype.map.call(input.files || [], function (f) {
        return f.name;
      });
      names.textContent = files.length ? files.join(", ") : empty;
      names.classList.toggle("text-muted", !files.length);
    });
  }

  /* Filters folded behind a button on small screens start open when a filter is in use. */
  function openUsedFilters() {
    document.querySelectorAll("[data-filters-active='1']").forEach(function (panel) {
      panel.classList.add("show");
      var toggle = document.querySelector("[data-bs-target='#" + panel.id + "']");
      if (toggle) toggle.setAttribute("aria-expanded", "true");
    });
  }

  /* Tables of four columns or more become cards on small screens (CSS .table-cards): each cell carries its column's
     name. A table that must stay a grid (the criteria table) says data-keep-table. */
  function cardTable(table) {
    // A table never widens the page: it scrolls inside its own box if it must.
    if (!table.closest(".table-responsive")) {
      var scroller = document.createElement("div");
      scroller.className = "table-responsive";
      table.parentNode.insertBefore(scroller, table);
      scroller.appendChild(table);
    }
    if (table.hasAttribute("data-keep-table") || table.classList.contains("table-cards")) return;
    var heads = table.tHead ? table.tHead.rows : [];
    if (heads.length !== 1 || heads[0].cells.length < 4) return; // two or three columns fit a phone
    var labels = [];
    Array.prototype.forEach.call(heads[0].cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i++) labels.push(cell.textContent.trim());
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && labels[column] && (cell.colSpan || 1) === 1) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("table-cards");
  }

  function init() {
    document.querySelectorAll("main table.table").forEach(cardTable);
    document.querySelectorAll("input[data-date-input]").forEach(enhanceDateInput);
    document.querySelectorAll("input[type=file]").forEach(enhanceFileInput);
    openUsedFilters();
    if (window.bootstrap && window.bootstrap.Tooltip) {
      document.querySelectorAll("[data-bs-toggle='tooltip']").forEach(function (el) {
        new window.bootstrap.Tooltip(el);
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* <select data-submit-on-change> submits its form when the choice changes (the filters). */
document.addEventListener("change", function (event) {
  var field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) {
    field.form.submit();
  }
});

/* An error summary marked [data-focus-on-load] (a form sent back with errors) is brought into view
   and focused once the page is laid out, so the user lands on what to fix, not at the top. */
window.addEventListener("load", function () {
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.scrollIntoView({ block: "start", behavior: "instant" });
    summary.focus({ preventScroll: true });
  }
});
