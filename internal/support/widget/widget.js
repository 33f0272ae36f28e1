/*
 * Chorus support widget: a chat box a shop puts on its site with one tag.
 *
 *   <link rel="stylesheet" href="https://shop.example/support/widget.css">
 *   <script src="https://shop.example/support/widget.js" defer
 *           data-endpoint="https://shop.example/v1/support/messages"
 *           data-lang="zh" data-title="在线客服"></script>
 *
 * It POSTs {"conversation_id", "text", "language"} as JSON to the endpoint
 * and reads the answer as server-sent events: "token" {"text"},
 * "citation" {"kind","id"}, "handoff" {"handoff_id"}, "done" {"reply"} and
 * "error" {"message"}. Ratings go to the endpoint's sibling /feedback as
 * {"conversation_id","message_id","thumb","csat"}. Every text is set with textContent: what
 * the server or the customer sends is never parsed as HTML. No build step,
 * no dependencies; the conversation id lives in sessionStorage.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var cfg = {
    endpoint: (script && script.dataset.endpoint) || "/v1/support/messages",
    lang: (script && script.dataset.lang) || (document.documentElement.lang || "zh").slice(0, 2),
    title: script && script.dataset.title
  };
  var zh = cfg.lang !== "en";
  var t = zh ? {
    open: "在线客服", title: "在线客服", placeholder: "请输入您的问题…", send: "发送", close: "关闭",
    sources: "来源：", handoff: "已转接人工客服，客服同事会在这里回复您。", failed: "抱歉，暂时无法连接客服，请稍后再试。",
    good: "有帮助", bad: "没帮助", thanks: "感谢您的反馈", busy: "正在回复…"
  } : {
    open: "Chat with us", title: "Customer service", placeholder: "Type your question…", send: "Send", close: "Close",
    sources: "Sources: ", handoff: "A person will reply in this conversation.", failed: "Sorry, we can't reach the chat right now. Please try again later.",
    good: "Helpful", bad: "Not helpful", thanks: "Thanks for your feedback", busy: "Replying…"
  };
  var key = "chorus-chat:" + cfg.endpoint;
  var conversation = "";
  try { conversation = sessionStorage.getItem(key) || ""; } catch (e) { /* storage off */ }

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }

  var root = el("div", "chorus-chat");
  var openBtn = el("button", "chorus-chat__open", t.open);
  openBtn.type = "button";
  var panel = el("section", "chorus-chat__panel");
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", cfg.title || t.title);
  var head = el("div", "chorus-chat__head");
  head.appendChild(el("span", "", cfg.title || t.title));
  var closeBtn = el("button", "chorus-chat__close", "×");
  closeBtn.type = "button";
  closeBtn.setAttribute("aria-label", t.close);
  head.appendChild(closeBtn);
  var log = el("div", "chorus-chat__log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  var form = el("form", "chorus-chat__form");
  var label = el("label", "chorus-chat__sr", t.placeholder);
  var input = el("textarea", "chorus-chat__input");
  input.id = "chorus-chat-input";
  label.htmlFor = input.id;
  input.rows = 1;
  input.maxLength = 2000;
  input.placeholder = t.placeholder;
  var send = el("button", "chorus-chat__send", t.send);
  send.type = "submit";
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(form);
  root.appendChild(openBtn);
  root.appendChild(panel);

  function show(open) {
    root.classList.toggle("chorus-chat--open", open);
    if (open) input.focus(); else openBtn.focus();
  }
  openBtn.addEventListener("click", function () { show(true); });
  closeBtn.addEventListener("click", function () { show(false); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") show(false); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : submit(e); }
  });

  function add(cls, text) {
    var m = el("div", "chorus-chat__msg chorus-chat__msg--" + cls, text);
    log.appendChild(m);
    log.scrollTop = log.scrollHeight;
    return m;
  }

  function feedbackURL() { return cfg.endpoint.replace(/\/messages\/?$/, "/feedback"); }

  function rate(box, messageID) {
    var row = el("div", "chorus-chat__rate");
    [[1, "👍", t.good], [-1, "👎", t.bad]].forEach(function (r) {
      var b = el("button", "", r[1]);
      b.type = "button";
      b.setAttribute("aria-label", r[2]);
      b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", function () {
        fetch(feedbackURL(), { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ conversation_id: conversation, message_id: messageID, thumb: r[0] }) }).catch(function () {});
        row.querySelectorAll("button").forEach(function (x) { x.setAttribute("aria-pressed", String(x === b)); });
        b.title = t.thanks;
      });
      row.appendChild(b);
    });
    box.appendChild(row);
  }

  // parse reads server-sent events from a fetch body and calls on(event, data).
  function parse(body, on) {
    var reader = body.getReader();
    var decoder = new TextDecoder();
    var buf = "";
    function pump() {
      return reader.read().then(function (r) {
        buf += decoder.decode(r.value || new Uint8Array(), { stream: !r.done });
        var at;
        while ((at = buf.search(/\r?\n\r?\n/)) >= 0) {
          var chunk = buf.slice(0, at);
          buf = buf.slice(at).replace(/^\r?\n\r?\n/, "");
          var name = "message", data = [];
          chunk.split(/\r?\n/).forEach(function (line) {
            if (line.indexOf("event:") === 0) name = line.slice(6).trim();
            else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
          });
          if (data.length) {
            var v;
            try { v = JSON.parse(data.join("\n")); } catch (e) { v = { text: data.join("\n") }; }
            on(name, v);
          }
        }
        if (!r.done) return pump();
      });
    }
    return pump();
  }

  function submit(e) {
    if (e) e.preventDefault();
    var text = input.value.trim();
    if (!text || send.disabled) return;
    input.value = "";
    add("customer", text);
    var box = add("assistant", "");
    var answer = el("div", "chorus-chat__text");
    box.appendChild(answer);
    answer.setAttribute("aria-busy", "true");
    answer.textContent = t.busy;
    var started = false, cites = [];
    send.disabled = true;
    fetch(cfg.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
      body: JSON.stringify({ conversation_id: conversation, text: text, language: cfg.lang })
    }).then(function (res) {
      if (!res.ok || !res.body) throw new Error("HTTP " + res.status);
      return parse(res.body, function (name, v) {
        if (name === "token") {
          if (!started) { answer.textContent = ""; started = true; }
          answer.textContent += v.text || "";
        } else if (name === "citation") {
          cites.push(v.kind + ":" + v.id);
        } else if (name === "handoff") {
          add("notice", t.handoff);
        } else if (name === "done" && v.reply) {
          if (v.reply.conversation_id) {
            conversation = v.reply.conversation_id;
            try { sessionStorage.setItem(key, conversation); } catch (err) { /* storage off */ }
          }
          if (cites.length) {
            var c = el("div", "chorus-chat__cites", t.sources);
            cites.forEach(function (x) { c.appendChild(el("span", "chorus-chat__cite", x)); });
            box.appendChild(c);
          }
          if (v.reply.message_id) rate(box, v.reply.message_id);
        } else if (name === "error") {
          add("error", v.message || t.failed);
        }
        log.scrollTop = log.scrollHeight;
      });
    }).catch(function () {
      if (!started) box.remove();
      add("error", t.failed);
    }).then(function () {
      answer.removeAttribute("aria-busy");
      send.disabled = false;
      input.focus();
    });
  }
  form.addEventListener("submit", submit);

  function mount() { document.body.appendChild(root); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
