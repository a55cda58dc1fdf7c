/* The console's supervision add-on: 预警/超时 flags, 督办 and its acknowledgement, 常用回复, unstaffed
   transfer targets. It decorates the ticket pane staff.js renders (re-applied after each render). */
"use strict";

(() => {
  const { api, h, put, toast, fmtTime } = ZD;
  const $ = (id) => document.getElementById(id);
  const pane = $("ticket-pane");
  if (!pane) return;
  const state = { me: null, targets: null, categories: null, canned: {}, supervision: {}, loading: new Map(), drafts: {} };

  const currentNumber = () => { const n = pane.querySelector("#ticket-title .number"); return n ? n.textContent.trim() : null; };

  async function loadMe() {
    state.me = await api("GET", "/api/v1/auth/me");
    const link = $("reports-link");
    if (link && (state.me.role === "admin" || (state.me.supervises || []).length)) link.hidden = false;
    await loadPending();
  }

  async function loadPending() {
    const box = $("pending-supervisions");
    if (!box) return;
    const data = await api("GET", "/api/v1/supervisions/pending?limit=20");
    box.hidden = !data.total;
    put(box, data.total ? [h("strong", {}, `待确认督办 ${data.total} 件：`),
      data.items.map((s) => h("a", { href: `/staff#${s.number}`, class: "chip", onclick: () => setTimeout(() => location.reload(), 0) }, s.number))] : []);
  }

  async function loadTargets() {
    const [targets, categories] = await Promise.all([api("GET", "/api/v1/queues/targets"), api("GET", "/api/v1/categories")]);
    state.targets = Object.fromEntries((targets.items || []).map((q) => [q.key, q]));
    state.categories = Object.fromEntries((categories.items || []).map((c) => [c.category, c.queue]));
  }

  /** Reload a ticket's 督办 and flags; a reload asked for while one runs waits for it, then runs once more. */
  async function loadSupervision(number) {
    const running = state.loading.get(number);
    const next = (running || Promise.resolve()).then(async () => {
      state.supervision[number] = await api("GET", `/api/v1/tickets/${encodeURIComponent(number)}/supervisions`);
      decorate(true);
    });
    const tracked = next.finally(() => { if (state.loading.get(number) === tracked) state.loading.delete(number); });
    state.loading.set(number, tracked);
    return tracked;
  }

  async function loadCanned(queueKey) {
    if (!queueKey || state.canned[queueKey]) return;
    state.canned[queueKey] = [];
    const data = await api("GET", `/api/v1/queues/${encodeURIComponent(queueKey)}/canned-replies`).catch(() => ({ items: [] }));
    state.canned[queueKey] = data.items || [];
    decorate(true);
  }

  function ticketQueueKey() {
    // staff.js shows the queue's name; the ticket detail's key is read once per ticket from the API.
    return state.ticketQueue && state.ticketQueue.number === currentNumber() ? state.ticketQueue.key : null;
  }

  async function loadTicketQueue(number) {
    const t = await api("GET", `/api/v1/tickets/${encodeURIComponent(number)}`);
    state.ticketQueue = { number, key: t.queue };
    await loadCanned(t.queue);
    decorate(true);
  }

  const supervises = (queueKey) => state.me && (state.me.role === "admin" || (state.me.supervises || []).includes(queueKey));

  function supervisionPanel(number, data, queueKey) {
    const items = data ? data.items : [];
    const me = state.me ? state.me.username : null;
    const note = h("textarea", { rows: 2, maxlength: 5000, id: "supervise-body", placeholder: "督办意见（承办人须确认）" });
    note.value = state.drafts[number] || ""; // the panel is rebuilt on every reload: keep what was typed
    note.addEventListener("input", () => { state.drafts[number] = note.value; });
    return h("section", { class: "card supervision", id: "supervision-panel", dataset: { number } },
      h("h3", {}, "督办与时限提醒",
        data && data.breached ? h("span", { class: "badge overdue", id: "sla-breached" }, `超时（${fmtTime(data.sla_breached_at)}）`) : null,
        data && !data.breached && data.sla_warned_at ? h("span", { class: "badge needs_info", id: "sla-warned" }, `预警：时限已过 75%（${fmtTime(data.sla_warned_at)}）`) : null),
      items.length ? h("ul", { class: "supervision-list" }, items.map((s) => h("li", { dataset: { supervision: s.id } },
        h("div", { class: "meta muted small" }, `${s.author || "主管"} 督办 · ${fmtTime(s.created_at)} · 承办人 ${s.assignee || "（未认领）"}`),
        h("div", { class: "body" }, s.body),
        s.acknowledged ? h("div", { class: "muted small" }, `已由 ${s.acknowledged_by || ""} 于 ${fmtTime(s.acknowledged_at)} 确认`)
          : (s.assignee === null || s.assignee === me) ? h("button", { type: "button", class: "primary acknowledge", onclick: () => acknowledge(number, s.id) }, "确认收到督办")
            : h("div", { class: "badge needs_info" }, "待承办人确认")))) : h("p", { class: "muted small" }, "暂无督办"),
      supervises(queueKey) ? h("form", { class: "reply-box", onsubmit: (ev) => { ev.preventDefault(); supervise(number, note.value); } },
        note, h("button", { type: "submit", class: "secondary", id: "supervise" }, "督办")) : null);
  }

  function cannedPicker(queueKey) {
    const replies = state.canned[queueKey] || [];
    if (!replies.length) return null;
    const select = h("select", { id: "canned-reply", "aria-label": "常用回复" },
      h("option", { value: "" }, "插入常用回复…"), replies.map((r) => h("option", { value: String(r.id) }, r.title)));
    select.addEventListener("change", () => {
      const reply = replies.find((r) => String(r.id) === select.value);
      const area = $("draft-reply");
      if (reply && area) {
        area.value = area.value ? `${area.value}\n${reply.body}` : reply.body;
        area.dispatchEvent(new Event("input")); // staff.js keeps the draft
        area.focus();
      }
      select.value = "";
    });
    return h("div", { class: "canned", id: "canned-box" }, select);
  }

  function flagTargets() {
    const select = $("transfer-queue");
    if (!select || !state.targets || select.dataset.flagged) return;
    select.dataset.flagged = "1";
    for (const option of select.options) {
      const [kind, key] = option.value.split(":");
      const queue = kind === "queue" ? key : state.categories[key];
      const target = state.targets[queue];
      if (target && target.members === 0) {
        option.textContent = `${option.textContent}（${target.name} 无成员，无人受理）`;
        option.dataset.unstaffed = "1";
      }
    }
    const warn = () => {
      const chosen = select.options[select.selectedIndex];
      const note = $("transfer-unstaffed");
      if (note) note.hidden = !(chosen && chosen.dataset.unstaffed);
    };
    select.addEventListener("change", warn);
    select.after(h("span", { class: "badge overdue", id: "transfer-unstaffed", hidden: true }, "目标队列无成员，转办后无人受理"));
    warn();
  }

  function decorate(force) {
    const number = currentNumber();
    if (!number) return;
    if (!state.ticketQueue || state.ticketQueue.number !== number) { loadTicketQueue(number).catch(() => {}); return; }
    const queueKey = ticketQueueKey();
    if (!(number in state.supervision) && !state.loading.has(number)) loadSupervision(number).catch(() => {});
    const existing = $("supervision-panel");
    if (force || !existing || existing.dataset.number !== number) {
      const panel = supervisionPanel(number, state.supervision[number], queueKey);
      const typing = document.activeElement && document.activeElement.id === "supervise-body";
      if (existing) existing.replaceWith(panel);
      else { const head = pane.querySelector(".ticket-body") || pane.querySelector(".ticket-head"); if (head) head.after(panel); }
      if (typing && $("supervise-body")) $("supervise-body").focus();
    }
    const area = $("draft-reply");
    if (area && !$("canned-box")) { const picker = cannedPicker(queueKey); if (picker) area.before(picker); }
    flagTargets();
  }

  async function supervise(number, body) {
    if (!body.trim()) { toast("请先填写督办意见", "error"); return; }
    try {
      await api("POST", `/api/v1/tickets/${encodeURIComponent(number)}/supervisions`, { body: body.trim() });
      delete state.drafts[number];
      toast("已督办，承办人将收到提醒", "ok");
      await loadSupervision(number);
    } catch (err) { toast(err.detail, "error"); }
  }

  async function acknowledge(number, id) {
    try {
      await api("POST", `/api/v1/tickets/${encodeURIComponent(number)}/supervisions/${id}/acknowledge`);
      toast("已确认督办", "ok");
      await Promise.all([loadSupervision(number), loadPending()]);
    } catch (err) { toast(err.detail, "error"); }
  }

  new MutationObserver(() => decorate(false)).observe(pane, { childList: true });
  window.addEventListener("zd:event", (ev) => {
    const { type, data } = ev.detail;
    if (!["ticket.sla_warning", "ticket.sla_breached", "ticket.supervised", "ticket.supervision_acknowledged"].includes(type)) return;
    if (type === "ticket.sla_warning" && state.me && data.assignee === state.me.username) toast(`${data.number} 办理时限已过 75%，请尽快办理`, "error");
    if (type === "ticket.sla_breached" && state.me && (data.supervisors || []).includes(state.me.username)) toast(`${data.number} 已超时，请督办`, "error");
    if (type === "ticket.supervised" && state.me && data.assignee_id !== null && data.assignee_id !== undefined) loadPending().catch(() => {});
    if (data.number === currentNumber()) loadSupervision(data.number).catch(() => {});
    if (type === "ticket.supervision_acknowledged") loadPending().catch(() => {});
  });
  Promise.all([loadMe(), loadTargets()]).then(() => decorate(true)).catch((err) => toast(err.detail || String(err), "error"));
})();
