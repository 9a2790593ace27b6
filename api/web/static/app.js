// The pages work without this file. It only makes the version slider act on its own:
// the number follows the thumb, and letting go shows that version.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const slider = document.getElementById("version");
  const shown = document.getElementById("version-shown");
  if (slider && slider.form) {
    slider.addEventListener("input", () => { if (shown) shown.textContent = slider.value; });
    slider.addEventListener("change", () => slider.form.submit());
  }
});
