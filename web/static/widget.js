/*! Trợ lý ảo — widget nhúng.
 * <script src="https://HOST/widget.js" data-title="Trợ lý ảo" defer></script>
 * Adds a floating button that opens the assistant's compact chat (HOST/embed) in an iframe. The
 * button and panel live in a shadow root and the chat in an iframe, so the host page's CSS cannot
 * reach them and theirs cannot leak out. HOST is read from this script's own src.
 * Options: data-title, data-position="left|right", data-color="#0b57d0".
 */
(function () {
  "use strict";
  if (window.__troLyAoWidget) return;

  var script = document.currentScript;
  if (!script) {
    var candidates = document.querySelectorAll('script[src*="widget.js"]');
    script = candidates[candidates.length - 1];
  }
  if (!script || !script.src) return;
  window.__troLyAoWidget = true;

  var base = new URL(".", script.src);
  var origin = base.origin;
  var title = (script.getAttribute("data-title") || "Trợ lý ảo").replace(/\s+/g, " ").trim().slice(0, 60) || "Trợ lý ảo";
  var left = script.getAttribute("data-position") === "left";
  var colorAttr = script.getAttribute("data-color") || "";
  var color = /^#[0-9a-fA-F]{3,8}$/.test(colorAttr) ? colorAttr : "#0b57d0";

  var CSS = [
    ":host{all:initial;position:fixed;z-index:2147483000;bottom:20px;" + (left ? "left" : "right") + ":20px;color:#1f2937}",
    // set on every element of the shadow tree: the host element itself may inherit the page's fonts
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Liberation Sans',Arial,sans-serif}",
    ".launcher{display:flex;align-items:center;gap:10px;height:56px;padding:0 20px 0 16px;border:0;border-radius:28px;",
    "background:var(--c);color:#fff;font-weight:600;font-size:15px;line-height:1;cursor:pointer;",
    "box-shadow:0 6px 20px rgba(15,23,42,.28);transition:transform .15s ease,box-shadow .15s ease}",
    ".launcher:hover{transform:translateY(-2px);box-shadow:0 10px 26px rgba(15,23,42,.32)}",
    ".launcher:focus-visible,.close:focus-visible{outline:3px solid #fbbf24;outline-offset:3px}",
    ".launcher svg{width:26px;height:26px;flex:none}",
    ".panel{position:absolute;bottom:72px;" + (left ? "left" : "right") + ":0;width:400px;height:640px;",
    "max-width:calc(100vw - 40px);max-height:calc(100vh - 112px);display:flex;flex-direction:column;",
    "background:#fff;border-radius:16px;overflow:hidden;box-shadow:0 18px 50px rgba(15,23,42,.35);",
    "border:1px solid rgba(15,23,42,.08)}",
    ".panel[hidden]{display:none}",
    ".head{display:flex;align-items:center;gap:10px;padding:12px 12px 12px 16px;background:var(--c);color:#fff}",
    ".head svg{width:22px;height:22px;flex:none}",
    ".title{flex:1;margin:0;font-weight:600;font-size:16px;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
    ".sub{display:block;font-weight:400;font-size:12px;opacity:.85}",
    ".close{width:36px;height:36px;border:0;border-radius:50%;background:rgba(255,255,255,.15);color:#fff;cursor:pointer;",
    "display:grid;place-items:center;font-size:22px;line-height:1}",
    ".close:hover{background:rgba(255,255,255,.28)}",
    "iframe{flex:1;width:100%;border:0;background:#f6f8fb}",
    "@media (max-width:520px){:host{bottom:14px;" + (left ? "left" : "right") + ":14px}",
    ".launcher .label{display:none}.launcher{padding:0;width:56px;justify-content:center}",
    ".launcher[aria-expanded=true]{display:none}",
    ".panel{position:fixed;inset:0;width:100vw;height:100%;max-width:none;max-height:none;border:0;border-radius:0}}"
  ].join("");

  var CHAT_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" ' +
    'stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/>' +
    '<path d="M8.5 12h.01M12 12h.01M15.5 12h.01"/></svg>';

  function build() {
    var host = document.createElement("tro-ly-ao-widget");
    host.style.setProperty("--c", color);
    var shadow = host.attachShadow({ mode: "open" });

    // A constructed stylesheet also works under a host page CSP without 'unsafe-inline'.
    if ("adoptedStyleSheets" in shadow && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      var style = document.createElement("style");
      style.textContent = CSS;
      shadow.appendChild(style);
    }

    var panel = document.createElement("div");
    panel.className = "panel";
    panel.id = "tro-ly-ao-panel";
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", title);

    var head = document.createElement("div");
    head.className = "head";
    head.innerHTML = CHAT_ICON; // a constant: never data
    var heading = document.createElement("p");
    heading.className = "title";
    heading.textContent = title;
    var sub = document.createElement("span");
    sub.className = "sub";
    sub.textContent = "Hỏi đáp về kế hoạch chuyển đổi số, có trích dẫn";
    heading.appendChild(sub);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "close";
    close.setAttribute("aria-label", "Đóng " + title);
    close.textContent = "×";
    head.appendChild(heading);
    head.appendChild(close);
    panel.appendChild(head);

    var launcher = document.createElement("button");
    launcher.type = "button";
    launcher.className = "launcher";
    launcher.setAttribute("aria-label", "Mở " + title);
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", panel.id);
    launcher.innerHTML = CHAT_ICON; // a constant: never data
    var label = document.createElement("span");
    label.className = "label";
    label.textContent = title;
    launcher.appendChild(label);

    shadow.appendChild(panel);
    shadow.appendChild(launcher);
    document.body.appendChild(host);

    var frame = null;

    function focusChat() {
      if (frame && frame.contentWindow) frame.contentWindow.postMessage({ type: "tro-ly-ao:focus" }, origin);
    }

    function open() {
      if (!frame) {
        frame = document.createElement("iframe");
        frame.title = title + " — khung trò chuyện";
        frame.src = new URL("embed?title=" + encodeURIComponent(title), base).href;
        frame.setAttribute("allow", "clipboard-write");
        frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
        frame.addEventListener("load", focusChat);
        panel.appendChild(frame);
      }
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      launcher.setAttribute("aria-label", "Đóng " + title);
      focusChat();
      if (frame) frame.focus();
    }

    function hide() {
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      launcher.setAttribute("aria-label", "Mở " + title);
      launcher.focus();
    }

    launcher.addEventListener("click", function () { if (panel.hidden) open(); else hide(); });
    close.addEventListener("click", hide);
    panel.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
    window.addEventListener("message", function (event) {
      if (event.origin === origin && frame && event.source === frame.contentWindow &&
          event.data && event.data.type === "tro-ly-ao:close") hide();
    });
  }

  if (document.body) build();
  else document.addEventListener("DOMContentLoaded", build);
})();
