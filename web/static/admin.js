// Admin area: confirm destructive forms, check the upload size before sending, poll the rebuild status.
// Everything works without it (plain forms and a reload link); this only makes it friendlier.
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });

  var upload = document.querySelector("form[data-max-bytes]");
  if (upload) {
    var limit = Number(upload.getAttribute("data-max-bytes"));
    var input = upload.querySelector("input[type=file]");
    var error = document.getElementById("file-error");
    var check = function () {
      var file = input.files && input.files[0];
      var tooBig = Boolean(file && file.size > limit);
      error.hidden = !tooBig;
      error.textContent = tooBig ? "Tệp quá lớn: tối đa " + Math.round(limit / 1048576) + " MB." : "";
      return !tooBig;
    };
    input.addEventListener("change", check);
    upload.addEventListener("submit", function (event) { if (!check()) event.preventDefault(); });
  }

  var panel = document.getElementById("rebuild");
  if (panel) {
    var url = panel.getAttribute("data-status-url");
    var stateText = document.getElementById("job-state");
    var bar = document.getElementById("job-progress");
    var button = document.getElementById("rebuild-button");
    var render = function (s) {
      panel.setAttribute("data-state", s.state);
      bar.max = s.steps;
      bar.value = s.state === "done" ? s.steps : s.step;
      button.disabled = s.state === "running";
      if (s.state === "running") stateText.textContent = "Đang chạy: bước " + s.step + "/" + s.steps + " — " + s.label + " (" + s.elapsed_s + " giây)";
      else if (s.state === "done") stateText.textContent = "Hoàn tất: " + s.result.documents + " văn bản, " + s.result.chunks + " đoạn (" + s.elapsed_s + " giây).";
      else if (s.state === "failed") stateText.textContent = "Thất bại: " + s.error;
    };
    var poll = function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (s) { render(s); if (s.state === "running") window.setTimeout(poll, 700); })
        .catch(function () { stateText.textContent = "Mất kết nối với máy chủ; hãy tải lại trang."; });
    };
    if (panel.getAttribute("data-state") === "running") poll();
  }
})();
