// Planner pages: load an example into the editor, format the JSON, highlight a nation's bars.
(function () {
  "use strict";
  const textarea = document.querySelector("#plan-form textarea");
  const source = document.getElementById("planning-examples");
  const examples = source ? JSON.parse(source.textContent) : {};
  document.querySelectorAll("a[data-example]").forEach((link) => {
    link.addEventListener("click", (event) => {
      const data = examples[link.dataset.example];
      if (!textarea || !data) return;
      event.preventDefault();
      textarea.value = JSON.stringify(data, null, 2);
    });
  });
  const format = document.getElementById("format-json");
  if (format && textarea) {
    format.addEventListener("click", () => {
      try {
        textarea.value = JSON.stringify(JSON.parse(textarea.value), null, 2);
        textarea.setCustomValidity("");
      } catch (error) {
        textarea.setCustomValidity("Not valid JSON: " + error.message);
        textarea.reportValidity();
      }
    });
  }
  document.querySelectorAll(".gantt-rotations .gantt-bar").forEach((bar) => {
    bar.addEventListener("click", () => {
      const nation = bar.dataset.nation;
      const on = !bar.classList.contains("gantt-highlight");
      document.querySelectorAll(".gantt-rotations .gantt-bar").forEach((other) => {
        other.classList.toggle("gantt-highlight", on && other.dataset.nation === nation);
      });
    });
  });
})();
