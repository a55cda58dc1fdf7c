/* zonedesk pages: shared helpers. Everything user-provided is inserted as text (never innerHTML). */
"use strict";

const ZD = (() => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";
  const labelsNode = document.getElementById("labels");
  const labels = labelsNode ? JSON.parse(labelsNode.textContent) : { categories: {}, statuses: {}, verdicts: {} };

  class ApiError extends Error {
    constructor(status, detail, body) {
      super(detail);
      this.status = status;
      this.detail = detail;
      this.body = body;
    }
  }

  /** Call the JSON API with the session cookie; state-changing calls echo the CSRF token. */
  async function api(method, path, body, extraHeaders) {
    const headers = { Accept: "application/json", ...(extraHeaders || {}) };
    const init = { method, headers, credentials: "same-origin" };
    if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (err) {
      throw new ApiError(0, "网络连接失败，请检查网络后重试 (network error)", null);
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try { data = JSON.parse(text); } catch (err) { data = { detail: text }; }
    }
    if (response.status === 401) {
      const expired = document.getElementById("session-expired");
      if (expired) expired.hidden = false; // the signed cookie outlived the API token: offer a fresh login
    }
    if (!response.ok) {
      const detail = data && typeof data.detail === "string" ? data.detail : `请求失败（HTTP ${response.status}）`;
      throw new ApiError(response.status, detail, data);
    }
    return data;
  }

  /** Upload one file (multipart field `file`, plus form fields) with the session cookie and CSRF token. */
  async function upload(path, file, fields) {
    const form = new FormData();
    form.append("file", file);
    for (const [key, value] of Object.entries(fields || {})) form.append(key, String(value));
    let response;
    try {
      response = await fetch(path, { method: "POST", body: form, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRF-Token": csrf } });
    } catch (err) {
      throw new ApiError(0, "网络连接失败，请检查网络后重试 (network error)", null);
    }
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, data && typeof data.detail === "string" ? data.detail : `上传失败（HTTP ${response.status}）`, data);
    return data;
  }

  const MAX_UPLOAD = 10 * 1024 * 1024;

  /** A file picker that uploads at once (PDF, images, Office documents, ZIP; at most 10 MiB). */
  function uploadPicker(id, onFile) {
    const input = h("input", { type: "file", id, accept: ".pdf,.png,.jpg,.jpeg,.gif,.webp,.bmp,.tif,.tiff,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.zip" });
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      if (!file) return;
      if (file.size > MAX_UPLOAD) { toast("附件不能超过 10 MiB", "error"); input.value = ""; return; }
      onFile(file).finally(() => { input.value = ""; });
    });
    return h("label", { class: "upload small" }, "📎 上传附件（PDF、图片、Office 文档、ZIP，≤10 MiB）", input);
  }

  /** A file in a thread: a download link (the API answers only those who may see the ticket). */
  function attachmentLink(a) {
    return [h("a", { href: `/api/v1/attachments/${a.id}`, download: a.name, class: "attachment-link" }, `📎 ${a.name}`),
      h("span", { class: "muted small" }, `（${Math.max(1, Math.ceil(a.size / 1024))} KB）`)];
  }

  /** Build an element: h("div", {class: "x", onclick: fn}, "text", child). Strings become text nodes. */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (value === true) node.setAttribute(key, "");
      else node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Replace a node's children, skipping null/false placeholders of conditional parts. */
  function put(node, ...children) {
    node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false)
      .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
    return node;
  }

  let toastTimer = null;
  function toast(message, kind) {
    const box = document.getElementById("toast");
    if (!box) return;
    box.textContent = message;
    box.className = `toast ${kind || ""}`;
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, 4000);
  }

  function fmtTime(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  const statusLabel = (s) => labels.statuses[s] || s || "";
  const categoryLabel = (c) => labels.categories[c] || c || "";

  /** Subscribe to ticket events (SSE, resumed by the browser with Last-Event-ID); returns the source. */
  function liveEvents(onEvent, dot) {
    if (!window.EventSource) return null;
    const source = new EventSource("/api/v1/events");
    // EventSource has no wildcard: every event type the desk emits (DESIGN.md "Events"), plus unnamed ones.
    const types = ["created", "updated", "message", "note", "claimed", "waiting", "transferred", "resolved",
      "cancelled", "closed", "rated", "sla_warning", "sla_breached", "supervised", "supervision_acknowledged"]
      .map((t) => `ticket.${t}`).concat(["message"]);
    for (const type of types) {
      source.addEventListener(type, (ev) => {
        let data = {};
        try { data = JSON.parse(ev.data); } catch (err) { data = {}; }
        onEvent(type, data, ev.lastEventId);
        window.dispatchEvent(new CustomEvent("zd:event", { detail: { type, data } })); // for page add-ons
      });
    }
    const mark = (state) => { if (dot) { dot.dataset.state = state; dot.title = state === "on" ? "实时更新已连接" : "实时更新重连中…"; } };
    source.addEventListener("open", () => mark("on"));
    source.addEventListener("error", () => mark("off"));
    window.addEventListener("beforeunload", () => source.close());
    return source;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return `k-${Date.now()}-${Math.random().toString(16).slice(2)}`;
  }

  /** 办事指南: materials (with a received mark when `checklist` is given), time limits, fee, office and hours. */
  function guideBlock(guide, options) {
    const opts = options || {};
    const checklist = guide.checklist || guide.materials.map((name) => ({ name, received: null }));
    return h("div", { class: "guide", id: opts.id || null },
      h("h3", {}, "办事指南"),
      h("p", { class: "small" }, `承诺时限：${guide.promised_days} 个工作日　法定时限：${guide.statutory_days} 个工作日　收费：${guide.fee}`),
      h("p", { class: "small muted" }, `办理地点：${guide.location}${guide.hours ? `　办理时间：${guide.hours}` : ""}`),
      h("p", { class: "small" }, "所需材料："),
      h("ol", { class: "materials" }, checklist.map((m) => h("li", { dataset: { material: m.name }, class: m.received ? "received" : "" },
        opts.tick ? h("label", {}, h("input", { type: "checkbox", checked: Boolean(m.received), disabled: opts.disabled, onchange: (ev) => opts.tick(m.name, ev.target.checked) }), " ", m.name)
          : [m.name, m.received === true ? h("span", { class: "tag ok" }, "已收") : null]))));
  }

  /** The category list (with guides) of GET /api/v1/categories, fetched once per page. */
  let categoriesPromise = null;
  function categories() {
    categoriesPromise = categoriesPromise || api("GET", "/api/v1/categories").then((d) => d.items || []);
    return categoriesPromise;
  }

  /** 好差评 levels (DESIGN.md): 5 非常满意 … 1 非常不满意. */
  const RATING_LABELS = { 5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意" };
  const ratingLabel = (score) => RATING_LABELS[score] || String(score);

  /** A 整改 in one line: open (due, overdue marked) or done with its 回访 note. */
  function rectificationText(r) {
    if (r.status === "done") return `整改已完成（回访：${r.note}）`;
    return `整改中，${fmtTime(r.due_at)} 前完成${r.overdue ? "（已逾期）" : ""}`;
  }

  return { api, h, put, toast, fmtTime, statusLabel, categoryLabel, labels, liveEvents, newKey, ApiError, csrf, guideBlock, categories, ratingLabel, RATING_LABELS, rectificationText, upload, uploadPicker, attachmentLink };
})();
