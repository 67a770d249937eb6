// Source view: bring the cited quote (or clause) into the middle of the screen and give it focus,
// so keyboard and screen-reader users land on it too.
(function () {
  "use strict";
  function reveal() {
    var target = document.getElementById("trich-dan");
    if (!target) return;
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", reveal);
  else reveal();
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href="#trich-dan"]');
    if (link) { event.preventDefault(); reveal(); }
  });
})();
