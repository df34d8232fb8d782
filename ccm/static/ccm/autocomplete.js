// Progressive enhancement: a <select data-autocomplete> becomes a text box that suggests as one types
// (the browser's own <datalist>, read out by screen readers and used with the keyboard). Without
// JavaScript the plain <select> stays. The server accepts a name or a code, so what is typed is resolved
// there; the label keeps pointing at the field.
(function () {
  "use strict";
  function enhance(select) {
    var input = document.createElement("input");
    var list = document.createElement("datalist");
    var options = select.querySelectorAll("option");
    var chosen = "";
    list.id = select.id + "-choices";
    for (var i = 0; i < options.length; i++) {
      if (!options[i].value) continue;
      var option = document.createElement("option");
      option.value = options[i].textContent;
      list.appendChild(option);
      if (options[i].selected) chosen = options[i].textContent;
    }
    input.type = "text";
    input.id = select.id;
    input.name = select.name;
    input.value = chosen;
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("placeholder", select.getAttribute("data-autocomplete-placeholder") || "");
    if (select.getAttribute("aria-describedby")) {
      input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    }
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(list, select);
    select.parentNode.removeChild(select);
  }
  function start() {
    var selects = document.querySelectorAll("select[data-autocomplete]");
    for (var i = 0; i < selects.length; i++) enhance(selects[i]);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
