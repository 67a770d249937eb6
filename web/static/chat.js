// Chat panel of the chat page and of the widget's /embed page.
// Everything that comes from the user or the server is put on the page with textContent (never
// innerHTML), so a question or an answer containing markup shows as text.
(function () {
  "use strict";

  var root = document.getElementById("chat");
  if (!root) return;

  var STREAM_URL = root.getAttribute("data-stream-url");
  var FEEDBACK_URL = root.getAttribute("data-feedback-url");
  var DOCS_URL = root.getAttribute("data-documents-url").replace(/\/$/, "");
  var EMBED = root.getAttribute("data-embed") === "true";
  var STORE_KEY = "tro-ly-ao:conversation:v1";
  var SCOPE_KEY = "tro-ly-ao:scope:v1";
  var HISTORY_TURNS = 6;
  var TIMEOUT_MS = 120000;

  var MSG = {
    searching: "Đang tìm trong các văn bản…",
    drafting: function (n) { return "Đã tìm thấy " + n + " đoạn liên quan, đang soạn câu trả lời…"; },
    unreachable: "Không kết nối được tới máy chủ trợ lý. Vui lòng kiểm tra kết nối mạng rồi thử lại.",
    timeout: "Máy chủ phản hồi quá lâu. Vui lòng thử lại sau ít phút.",
    interrupted: "Kết nối bị gián đoạn trước khi có câu trả lời. Vui lòng thử lại.",
    reloaded: "Câu trả lời bị gián đoạn do trang được tải lại. Vui lòng thử lại.",
    server: function (status) { return "Máy chủ đang gặp sự cố (mã " + status + "). Vui lòng thử lại sau."; },
    tooLong: function (n) { return "Câu hỏi quá dài (tối đa " + n + " ký tự)."; },
    refusedBadge: "Không tìm thấy trong văn bản",
    errorBadge: "Chưa trả lời được",
    copied: "Đã sao chép câu trả lời.",
    copyFailed: "Không sao chép được; hãy bôi đen và sao chép thủ công.",
    rated: "Đã ghi nhận đánh giá. Cảm ơn bạn!",
    commented: "Đã gửi góp ý. Cảm ơn bạn!",
    newChat: "Đã bắt đầu cuộc trò chuyện mới.",
    answered: "Trợ lý đã trả lời."
  };

  var form = document.getElementById("ask-form");
  var textarea = document.getElementById("question");
  var sendButton = document.getElementById("send");
  var log = document.getElementById("log");
  var intro = document.getElementById("intro");
  var scroller = document.getElementById("scroller");
  var statusRegion = document.getElementById("status");
  var scope = document.getElementById("doc-filter");
  var newChatButton = document.getElementById("new-chat");
  var maxChars = parseInt(textarea.getAttribute("maxlength"), 10) || 1000;

  var turns = loadTurns();
  var busy = false;

  // ---- small helpers -------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var ICONS = {
    up: "M7 10v11M2 12v7a2 2 0 0 0 2 2h13.3a2 2 0 0 0 2-1.7l1.4-9A2 2 0 0 0 18.7 8H14V4a2 2 0 0 0-2-2l-5 8",
    down: "M17 14V3M22 12V5a2 2 0 0 0-2-2H6.7a2 2 0 0 0-2 1.7l-1.4 9A2 2 0 0 0 5.3 16H10v4a2 2 0 0 0 2 2l5-8",
    copy: "M9 9h11v11H9zM5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1",
    doc: "M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zM14 2v6h6",
    retry: "M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5",
    info: "M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20zM12 16v-4M12 8h.01",
    warn: "M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0zM12 9v4M12 17h.01"
  };

  function icon(name) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "icon");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", ICONS[name]);
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", "2");
    path.setAttribute("stroke-linecap", "round");
    path.setAttribute("stroke-linejoin", "round");
    svg.appendChild(path);
    return svg;
  }

  function announce(text) {
    statusRegion.textContent = "";
    window.setTimeout(function () { statusRegion.textContent = text; }, 30);
  }

  function uid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function UserError(message) { this.message = message; }

  function errorMessage(status, data) {
    if (data && data.error && data.error.message) return data.error.message;
    return MSG.server(status);
  }

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
  }

  function scrollToBottom() { scroller.scrollTop = scroller.scrollHeight; }

  // ---- conversation storage (per tab) ---------------------------------------------------------

  function loadTurns() {
    try {
      var stored = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "[]");
      if (!Array.isArray(stored)) return [];
      return stored.filter(function (t) { return t && typeof t.question === "string"; }).map(function (t) {
        if (t.pending) { t.pending = false; t.error = MSG.reloaded; }
        return t;
      });
    } catch (e) {
      return [];
    }
  }

  function saveTurns() {
    try {
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(turns));
    } catch (e) { /* storage disabled or full: the conversation lives on in memory */ }
  }

  // Only what the page shows and the follow-ups need (contexts are large).
  function keep(answer) {
    return { id: answer.id, question: answer.question, answer: answer.answer, refused: !!answer.refused,
             citations: (answer.citations || []).map(function (c) {
               return { doc_id: c.doc_id, title: c.title, section: c.section, label: c.label, quote: c.quote,
                        chunk_id: c.chunk_id, start: c.start, end: c.end };
             }) };
  }

  function historyFor() {
    return turns.filter(function (t) { return t.answer && !t.error; }).slice(-HISTORY_TURNS).map(function (t) {
      return { question: t.question, answer: t.answer.answer };
    });
  }

  // ---- rendering ------------------------------------------------------------------------------

  function citationUrl(c) {
    var params = [];
    if (typeof c.start === "number" && typeof c.end === "number" && c.start >= 0 && c.end > c.start) {
      params.push("start=" + c.start, "end=" + c.end);
    }
    if (c.chunk_id) params.push("chunk=" + encodeURIComponent(c.chunk_id));
    return DOCS_URL + "/" + encodeURIComponent(c.doc_id) + (params.length ? "?" + params.join("&") : "") + "#trich-dan";
  }

  function squash(s) { return (s || "").replace(/\s+/g, " ").trim().toLowerCase(); }

  function renderCitations(answer) {
    var citations = answer.citations || [];
    if (!citations.length) return null;
    var list = el("ul", { class: "citations", "aria-label": "Nguồn trích dẫn" });
    citations.forEach(function (c) {
      var link = el("a", { class: "chip", href: citationUrl(c), title: (c.title || "") + (c.section ? " — " + c.section : ""),
                           target: EMBED ? "_blank" : null, rel: EMBED ? "noopener" : null,
                           "aria-label": "Xem nguồn: " + (c.label || c.title || c.doc_id) }, [icon("doc"),
        el("span", { class: "chip-label", text: c.label || c.title || c.doc_id })]);
      var item = el("li", {}, [link]);
      if (c.quote && squash(c.quote) !== squash(answer.answer)) {
        item.appendChild(el("blockquote", { class: "quote", text: "“" + c.quote + "”" }));
      }
      list.appendChild(item);
    });
    return el("div", { class: "sources" }, [el("p", { class: "sources-title", text: "Nguồn:" }), list]);
  }

  function answerAsText(answer) {
    var lines = [answer.answer];
    (answer.citations || []).forEach(function (c, i) {
      if (i === 0) lines.push("", "Nguồn:");
      lines.push("- " + (c.label || c.title) + (c.quote ? ": “" + c.quote + "”" : ""));
    });
    return lines.join("\n");
  }

  function copyText(text) {
    function fallback() {
      var area = el("textarea", { class: "sr-only", "aria-hidden": "true" });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      return ok ? Promise.resolve() : Promise.reject(new Error("copy"));
    }
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text).catch(fallback);
    return fallback();
  }

  function renderActions(turn, node) {
    var answer = turn.answer;
    var copy = el("button", { type: "button", class: "icon-btn", "aria-label": "Sao chép câu trả lời", title: "Sao chép" },
                  [icon("copy"), el("span", { class: "btn-text", text: "Sao chép" })]);
    copy.addEventListener("click", function () {
      copyText(answerAsText(answer)).then(function () {
        copy.classList.add("done");
        announce(MSG.copied);
        window.setTimeout(function () { copy.classList.remove("done"); }, 1500);
      }, function () { announce(MSG.copyFailed); });
    });
    var up = el("button", { type: "button", class: "icon-btn rate", "data-rating": "up", "aria-label": "Câu trả lời hữu ích",
                            title: "Hữu ích", "aria-pressed": turn.rating === "up" ? "true" : "false" }, [icon("up")]);
    var down = el("button", { type: "button", class: "icon-btn rate", "data-rating": "down", "aria-label": "Câu trả lời chưa tốt",
                              title: "Chưa tốt", "aria-pressed": turn.rating === "down" ? "true" : "false" }, [icon("down")]);
    var feedbackArea = el("div", { class: "feedback" });
    var bar = el("div", { class: "actions" }, [copy, el("span", { class: "sep", "aria-hidden": "true" }), up, down]);
    [up, down].forEach(function (button) {
      button.addEventListener("click", function () {
        var rating = button.getAttribute("data-rating");
        button.disabled = true;
        sendFeedback(turn, rating, null).then(function () {
          turn.rating = rating;
          saveTurns();
          up.setAttribute("aria-pressed", rating === "up" ? "true" : "false");
          down.setAttribute("aria-pressed", rating === "down" ? "true" : "false");
          announce(MSG.rated);
          showCommentForm(turn, feedbackArea);
        }, function (err) {
          feedbackArea.textContent = "";
          feedbackArea.appendChild(el("p", { class: "feedback-error", role: "alert", text: "Chưa gửi được đánh giá: " + err.message }));
        }).then(function () { button.disabled = false; });
      });
    });
    node.appendChild(bar);
    node.appendChild(feedbackArea);
    if (turn.commented) feedbackArea.appendChild(el("p", { class: "feedback-done", text: MSG.commented }));
  }

  function showCommentForm(turn, area) {
    if (turn.commented) return;
    area.textContent = "";
    var id = "comment-" + turn.feedbackId;
    var box = el("textarea", { id: id, rows: "2", maxlength: "2000", placeholder: "Câu trả lời cần sửa gì? Thiếu thông tin nào?" });
    var submit = el("button", { type: "submit", class: "btn btn-small", text: "Gửi góp ý" });
    var skip = el("button", { type: "button", class: "btn btn-small btn-ghost", text: "Bỏ qua" });
    var formEl = el("form", { class: "comment-form", "aria-label": "Góp ý thêm cho câu trả lời" }, [
      el("p", { class: "feedback-thanks", text: "Cảm ơn bạn! " }),
      el("label", { for: id, text: "Góp ý thêm (không bắt buộc)" }), box,
      el("div", { class: "comment-actions" }, [submit, skip])]);
    formEl.addEventListener("submit", function (event) {
      event.preventDefault();
      var comment = box.value.trim();
      if (!comment) { area.textContent = ""; return; }
      submit.disabled = true;
      sendFeedback(turn, turn.rating, comment).then(function () {
        turn.commented = true;
        saveTurns();
        area.textContent = "";
        area.appendChild(el("p", { class: "feedback-done", text: MSG.commented }));
        announce(MSG.commented);
        textarea.focus();
      }, function (err) {
        submit.disabled = false;
        var old = formEl.querySelector(".feedback-error");
        if (old) old.remove();
        formEl.appendChild(el("p", { class: "feedback-error", role: "alert", text: "Chưa gửi được góp ý: " + err.message }));
      });
    });
    skip.addEventListener("click", function () { area.textContent = ""; textarea.focus(); });
    area.appendChild(formEl);
    box.focus();
  }

  function fillAnswer(node, turn) {
    node.textContent = "";
    node.className = "msg bot";
    node.removeAttribute("aria-busy");
    node.appendChild(el("p", { class: "who", text: "Trợ lý ảo" }));
    if (turn.pending) {
      node.setAttribute("aria-busy", "true");
      node.classList.add("pending");
      var view = {
        status: el("p", { class: "progress" }, [el("span", { class: "dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
                                                el("span", { class: "progress-text", text: MSG.searching })]),
        text: el("p", { class: "text" })
      };
      node.appendChild(view.status);
      node.appendChild(view.text);
      return view;
    }
    if (turn.error) {
      node.classList.add("error");
      node.appendChild(el("p", { class: "badge-line" }, [icon("warn"), el("span", { text: MSG.errorBadge })]));
      node.appendChild(el("p", { class: "text", role: "alert", text: turn.error }));
      var retry = el("button", { type: "button", class: "btn btn-small" }, [icon("retry"), el("span", { text: "Thử lại" })]);
      retry.addEventListener("click", function () {
        var index = turns.indexOf(turn);
        if (index >= 0) turns.splice(index, 1);
        saveTurns();
        render();
        ask(turn.question, turn.scope);
      });
      node.appendChild(retry);
      return null;
    }
    var answer = turn.answer;
    if (answer.refused) {
      node.classList.add("refused");
      node.appendChild(el("p", { class: "badge-line" }, [icon("info"), el("span", { text: MSG.refusedBadge })]));
    }
    node.appendChild(el("p", { class: "text", text: answer.answer }));
    var sources = renderCitations(answer);
    if (sources) node.appendChild(sources);
    renderActions(turn, node);
    return null;
  }

  function renderTurn(turn) {
    var question = el("div", { class: "msg user" }, [el("p", { class: "who sr-only", text: "Bạn hỏi:" }),
                                                    el("p", { class: "text", text: turn.question })]);
    var answerNode = el("div", { class: "msg bot" });
    var article = el("article", { class: "turn" }, [question, answerNode]);
    var view = fillAnswer(answerNode, turn);
    return { article: article, answerNode: answerNode, view: view };
  }

  function render() {
    log.textContent = "";
    turns.forEach(function (turn) { log.appendChild(renderTurn(turn).article); });
    intro.hidden = turns.length > 0;
  }

  // ---- talking to the server ------------------------------------------------------------------

  function parseEvent(block) {
    var event = "message";
    var data = [];
    block.split("\n").forEach(function (line) {
      if (!line || line.charAt(0) === ":") return;
      var colon = line.indexOf(":");
      var field = colon < 0 ? line : line.slice(0, colon);
      var value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    });
    if (!data.length) return null;
    try { return { event: event, data: JSON.parse(data.join("\n")) }; } catch (e) { return null; }
  }

  // POST the question, call onEvent for each server-sent event; resolves with the final answer object.
  function streamAnswer(body, onEvent) {
    var controller = new AbortController();
    var timer = window.setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    var finalAnswer = null;
    var failure = null;
    var responded = false;

    function handle(block) {
      var parsed = parseEvent(block);
      if (!parsed) return;
      if (parsed.event === "answer") finalAnswer = parsed.data;
      else if (parsed.event === "error") failure = new UserError(errorMessage(500, parsed.data));
      else onEvent(parsed.event, parsed.data);
    }

    return fetch(STREAM_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
      body: JSON.stringify(body),
      signal: controller.signal
    }).then(function (res) {
      responded = true;
      if (!res.ok) {
        return res.json().catch(function () { return null; }).then(function (data) {
          throw new UserError(errorMessage(res.status, data));
        });
      }
      var reader = res.body.getReader();
      var decoder = new TextDecoder("utf-8");
      var buffer = "";
      function pump() {
        return reader.read().then(function (chunk) {
          buffer += decoder.decode(chunk.value || new Uint8Array(), { stream: !chunk.done });
          buffer = buffer.replace(/\r\n/g, "\n");
          var cut;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            handle(buffer.slice(0, cut));
            buffer = buffer.slice(cut + 2);
          }
          if (!chunk.done) return pump();
          if (buffer.trim()) handle(buffer);
          if (failure) throw failure;
          if (!finalAnswer) throw new UserError(MSG.interrupted);
          return finalAnswer;
        });
      }
      return pump();
    }).catch(function (err) {
      if (err instanceof UserError) throw err;
      if (err && err.name === "AbortError") throw new UserError(MSG.timeout);
      throw new UserError(responded ? MSG.interrupted : MSG.unreachable);
    }).then(function (answer) {
      window.clearTimeout(timer);
      return answer;
    }, function (err) {
      window.clearTimeout(timer);
      throw err;
    });
  }

  // "chat", or "widget" plus the origin of the portal that embeds it (the referrer policy keeps only the origin).
  function pageName() {
    if (!EMBED) return "chat";
    try { return document.referrer ? "widget " + new URL(document.referrer).origin : "widget"; } catch (e) { return "widget"; }
  }

  function sendFeedback(turn, rating, comment) {
    var answer = turn.answer;
    return fetch(FEEDBACK_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: turn.question, answer: answer.answer, rating: rating, comment: comment,
                             citations: answer.citations, feedback_id: turn.feedbackId, refused: answer.refused,
                             page: pageName() })
    }).then(function (res) {
      if (res.ok) return res.json();
      return res.json().catch(function () { return null; }).then(function (data) {
        throw new UserError(errorMessage(res.status, data));
      });
    }, function () { throw new UserError(MSG.unreachable); });
  }

  function ask(question, scopeValue) {
    question = (question || "").trim();
    if (!question || busy) return;
    if (question.length > maxChars) { announce(MSG.tooLong(maxChars)); return; }
    var docScope = scopeValue !== undefined ? scopeValue : scope.value;
    var body = { question: question, history: historyFor(), doc_ids: docScope ? [docScope] : null };
    var turn = { question: question, pending: true, feedbackId: uid().replace(/[^A-Za-z0-9-]/g, ""), scope: docScope };
    turns.push(turn);
    saveTurns();
    intro.hidden = true;
    var rendered = renderTurn(turn);
    log.appendChild(rendered.article);
    scrollToBottom();
    setBusy(true);

    var view = rendered.view;
    var streamed = "";
    streamAnswer(body, function (event, data) {
      var follow = nearBottom();
      if (event === "contexts") {
        view.status.querySelector(".progress-text").textContent = MSG.drafting((data.contexts || []).length);
      } else if (event === "delta" && data && typeof data.text === "string") {
        streamed += data.text;
        view.text.textContent = streamed;
      }
      if (follow) scrollToBottom();
    }).then(function (answer) {
      turn.answer = keep(answer);
      announce(MSG.answered);
    }, function (err) {
      turn.error = err.message || MSG.unreachable;  // shown in a role="alert" paragraph
    }).then(function () {
      var follow = nearBottom();
      turn.pending = false;
      saveTurns();
      fillAnswer(rendered.answerNode, turn);
      if (follow) scrollToBottom();
      setBusy(false);
    });
  }

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    sendButton.setAttribute("aria-label", value ? "Đang trả lời…" : "Gửi câu hỏi");
    root.classList.toggle("busy", value);
  }

  // ---- wiring ---------------------------------------------------------------------------------

  function autosize() {
    textarea.style.height = "auto";
    textarea.style.height = Math.min(textarea.scrollHeight, 180) + "px";
  }

  function submit() {
    var question = textarea.value;
    if (!question.trim() || busy) return;
    textarea.value = "";
    autosize();
    ask(question);
    textarea.focus();
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); submit(); });
  textarea.addEventListener("keydown", function (event) {
    // Vietnamese input methods compose with Enter too: never send mid-composition.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });
  textarea.addEventListener("input", autosize);

  Array.prototype.forEach.call(root.querySelectorAll(".starter"), function (button) {
    button.addEventListener("click", function () {
      ask(button.textContent);
      textarea.focus();
    });
  });

  try {
    var savedScope = window.sessionStorage.getItem(SCOPE_KEY);
    if (savedScope && scope.querySelector('option[value="' + CSS.escape(savedScope) + '"]')) scope.value = savedScope;
  } catch (e) { /* no storage */ }
  scope.addEventListener("change", function () {
    try { window.sessionStorage.setItem(SCOPE_KEY, scope.value); } catch (e) { /* no storage */ }
  });

  newChatButton.addEventListener("click", function () {
    if (busy) return;
    turns = [];
    saveTurns();
    render();
    announce(MSG.newChat);
    textarea.focus();
  });

  if (EMBED) {
    window.addEventListener("message", function (event) {
      if (event.data && event.data.type === "tro-ly-ao:focus") textarea.focus();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && window.parent !== window) window.parent.postMessage({ type: "tro-ly-ao:close" }, "*");
    });
  }

  render();
  if (turns.length) scrollToBottom();
  if (!EMBED) textarea.focus();
})();
