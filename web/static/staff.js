/* The staff console: queues, tickets, the ticket thread and the actions, live over SSE. */
"use strict";

(() => {
  const { api, h, put, toast, fmtTime, statusLabel, categoryLabel, liveEvents } = ZD;
  const $ = (id) => document.getElementById(id);
  const DONE = ["resolved", "closed", "cancelled"];

  const state = { queues: [], queue: null, tickets: [], ticket: null, fresh: new Set(), drafts: {}, conflict: null, me: null, confirming: null };

  const queueKey = (q) => q.key;
  const queueName = (q) => q.name;
  function queueCount(q) {
    if (typeof q.open_count === "number") return q.open_count;
    if (typeof q.open === "number") return q.open;
    if (q.counts && typeof q.counts === "object") {
      return Object.entries(q.counts).filter(([s]) => !DONE.includes(s)).reduce((n, [, c]) => n + (Number(c) || 0), 0);
    }
    return typeof q.count === "number" ? q.count : 0;
  }
  const overdueCount = (q) => q.overdue;
  const isOverdue = (t) => (typeof t.overdue === "boolean" ? t.overdue
    : Boolean(t.sla_due_at) && !DONE.includes(t.status) && t.status !== "waiting_enterprise" && new Date(t.sla_due_at) < new Date());

  /* ---------- queues ---------- */
  async function loadQueues() {
    const data = await api("GET", "/api/v1/queues");
    state.queues = data.items || data || [];
    if (!state.queue && state.queues.length) state.queue = queueKey(state.queues[0]);
    renderTabs();
  }

  function renderTabs() {
    put($("queue-tabs"), ...state.queues.map((q) => {
      const key = queueKey(q);
      const overdue = overdueCount(q);
      return h("button", { type: "button", role: "tab", class: `queue-tab ${key === state.queue ? "active" : ""}`, "aria-selected": key === state.queue ? "true" : "false", dataset: { queue: key }, onclick: () => selectQueue(key) },
        queueName(q), h("span", { class: "count", dataset: { count: queueCount(q) } }, queueCount(q)),
        overdue ? h("span", { class: "count overdue", title: "已超时" }, overdue) : null);
    }));
    if (!state.queues.length) $("queue-tabs").append(h("p", { class: "muted" }, "您还没有加入任何队列，请联系管理员。"));
  }

  async function selectQueue(key) {
    state.queue = key;
    renderTabs();
    await loadTickets();
  }

  /* ---------- ticket list ---------- */
  async function loadTickets() {
    if (!state.queue) { put($("ticket-list"), ); return; }
    const status = $("status-filter").value;
    const search = $("ticket-search").value.trim();
    const params = new URLSearchParams({ limit: "200" });
    if (status) params.set("status", status);
    if (search) params.set("q", search);
    const data = await api("GET", `/api/v1/queues/${encodeURIComponent(state.queue)}/tickets?${params}`);
    let items = data.items || [];
    if (!status) items = items.filter((t) => !DONE.includes(t.status));
    // Overdue first (the API orders them so; keep it stable here too).
    items = items.map((t, i) => [t, i]).sort((a, b) => (isOverdue(b[0]) - isOverdue(a[0])) || (a[1] - b[1])).map(([t]) => t);
    state.tickets = items;
    $("list-total").textContent = `共 ${items.length} 件`;
    renderList();
  }

  function renderList() {
    const list = $("ticket-list");
    if (!state.tickets.length) { put(list, h("li", { class: "muted empty" }, "队列里暂时没有工单")); return; }
    put(list, ...state.tickets.map((t) => {
      const overdue = isOverdue(t);
      return h("li", { class: `ticket-row ${overdue ? "overdue" : ""} ${state.ticket && state.ticket.number === t.number ? "selected" : ""} ${state.fresh.has(t.number) ? "fresh" : ""}`, dataset: { number: t.number } },
        h("button", { type: "button", class: "row-button", onclick: () => openTicket(t.number) },
          h("span", { class: "row-top" }, h("span", { class: "number" }, t.number),
            overdue ? h("span", { class: "badge overdue" }, "已超时") : null,
            h("span", { class: `status ${t.status}` }, statusLabel(t.status))),
          h("span", { class: "subject" }, t.subject),
          h("span", { class: "row-meta muted small" }, categoryLabel(t.category),
            t.sla_due_at ? ` · 时限 ${fmtTime(t.sla_due_at)}` : "", t.assignee ? ` · ${t.assignee}` : "")));
    }));
  }

  /* ---------- one ticket ---------- */
  async function openTicket(number, keepScroll) {
    try {
      const t = await api("GET", `/api/v1/tickets/${encodeURIComponent(number)}`);
      if (!state.ticket || state.ticket.number !== number) { state.conflict = null; state.confirming = null; }
      state.ticket = t;
      state.fresh.delete(number);
      if (!keepScroll) history.replaceState(null, "", `/staff#${number}`);
      renderTicket();
      renderList();
    } catch (err) {
      toast(err.detail, "error");
    }
  }

  function messageNode(m) {
    const internal = m.internal;
    const who = m.author_name || (m.author_role === "enterprise" ? "企业" : "工作人员");
    return h("div", { class: `msg ${internal ? "note" : m.author_role === "enterprise" ? "enterprise" : "staff"}` },
      h("div", { class: "meta" }, internal ? h("span", { class: "tag note" }, "内部备注") : null, who, " · ", fmtTime(m.created_at)),
      h("div", { class: "body" }, m.body));
  }

  /* A status change in the thread: who changed it, and to what. */
  function historyNode(c) {
    return h("div", { class: "msg status-change", dataset: { status: c.status } },
      h("div", { class: "meta" }, h("span", { class: "tag" }, "状态"), c.author_name, " · ", fmtTime(c.created_at)),
      h("div", { class: "body" }, c.body.replace(/ \(status: [a-z_]+\)$/, "")));
  }

  function fileNode(a) {
    return h("div", { class: `msg ${a.author_role === "enterprise" ? "enterprise" : "staff"} attachment` },
      h("div", { class: "meta" }, a.author_name, " · ", fmtTime(a.created_at)), ZD.attachmentLink(a));
  }

  /* Messages, files and status changes in time order (a message and the change it caused keep their order). */
  function timeline(messages, history, files) {
    const entries = messages.map((m) => [m.created_at, 0, messageNode(m)]).concat((history || []).map((c) => [c.created_at, 1, historyNode(c)]))
      .concat((files || []).map((a) => [a.created_at, 2, fileNode(a)]));
    return entries.map((e, i) => [...e, i]).sort((a, b) => (new Date(a[0]) - new Date(b[0])) || (a[3] - b[3])).map((e) => e[2]);
  }

  /* Claimed tickets are the assignee's: others may only add notes (the API answers 403 otherwise). */
  function mayAct(t) {
    if (!state.me) return true;
    return !t.assignee_username || t.assignee_username === state.me.username || state.me.role === "admin";
  }

  /* 办结 and 转办 are confirmed with a message: the closing reply to the enterprise, or the transfer reason. */
  function confirmBox(t, reply) {
    const c = state.confirming;
    if (!c) return null;
    const isResolve = c.action === "resolve";
    const text = h("textarea", { rows: 3, maxlength: isResolve ? 5000 : 500, id: "confirm-message" });
    text.value = isResolve ? (reply.value || "") : "";
    return h("div", { class: "confirm-box", role: "alertdialog", id: "confirm-box" },
      h("strong", {}, isResolve ? `确认办结 ${t.number}？` : `确认将 ${t.number} 转办到「${c.label}」？`),
      h("p", { class: "small" }, isResolve ? "办结说明将作为回复发送给企业，并请企业评价（好差评）。" : "转办原因将记为内部备注；工单将在目标队列重新待受理。"),
      h("label", {}, isResolve ? "办结说明（必填）" : "转办原因（必填）", text),
      h("div", { class: "buttons" },
        h("button", { type: "button", class: "primary", id: "confirm-ok", onclick: () => {
          const message = text.value.trim();
          if (!message) { toast(isResolve ? "请填写办结说明" : "请填写转办原因", "error"); return; }
          state.confirming = null;
          if (isResolve) act("resolve", { body: message }, "reply");
          else act("transfer", { [c.kind]: c.key, reason: message });
        } }, isResolve ? "确认办结" : "确认转办"),
        h("button", { type: "button", class: "secondary", id: "confirm-cancel", onclick: () => { state.confirming = null; renderTicket(); } }, "取消")));
  }

  function draft(kind) {
    const key = `${state.ticket.number}:${kind}`;
    const area = h("textarea", { rows: 2, maxlength: 5000, id: `draft-${kind}` });
    area.value = state.drafts[key] || "";
    area.addEventListener("input", () => { state.drafts[key] = area.value; });
    return area;
  }

  function renderTicket() {
    const t = state.ticket;
    const conflict = state.conflict;
    const pane = $("ticket-pane");
    const messages = t.messages;
    const pub = messages.filter((m) => !m.internal);
    const mine = mayAct(t);
    const notes = messages.filter((m) => m.internal);
    const open = !DONE.includes(t.status);
    const focused = document.activeElement && document.activeElement.id;

    const reply = draft("reply");
    const note = draft("note");
    const transferTo = h("select", { id: "transfer-queue" },
      h("optgroup", { label: "按事项类别（由分派规则确定队列）" },
        Object.entries(ZD.labels.categories).filter(([key]) => key !== t.category).map(([key, label]) => h("option", { value: `category:${key}` }, label))),
      state.queues.some((q) => queueKey(q) !== t.queue) ? h("optgroup", { label: "转到队列" },
        state.queues.filter((q) => queueKey(q) !== t.queue).map((q) => h("option", { value: `queue:${queueKey(q)}` }, queueName(q)))) : null);

    put(pane, 
      conflict ? h("div", { class: "alert conflict", role: "alert", id: "conflict" },
        h("strong", {}, "操作未保存："), conflict, " 工单已被他人更新，下面显示的是最新内容；您的草稿已保留，请确认后重新提交。") : null,
      h("div", { class: "ticket-head" },
        h("h2", { id: "ticket-title" }, h("span", { class: "number" }, t.number), " ", t.subject),
        h("div", { class: "ticket-facts" },
          h("span", { class: `status ${t.status}`, id: "ticket-status" }, statusLabel(t.status)),
          isOverdue(t) ? h("span", { class: "badge overdue" }, "已超时") : null,
          h("span", {}, categoryLabel(t.category)),
          h("span", {}, `队列：${t.queue_name}`),
          h("span", {}, `办理人：${t.assignee || "未认领"}`),
          t.sla_due_at ? h("span", {}, `时限：${fmtTime(t.sla_due_at)}${t.sla_paused ? "（等待企业，计时暂停）" : ""}`) : null,
          t.sla_note ? h("span", { class: "muted" }, t.sla_note) : null,
          h("span", { class: "muted small" }, `版本 ${t.version}`))),
      h("div", { class: "ticket-body" },
        h("div", { class: "requester muted small" }, `申请人：${t.requester || "企业用户"}${t.enterprise ? ` · ${t.enterprise}` : ""} · 联系方式：${t.contact || "—"} · 提交于 ${fmtTime(t.created_at)}`),
        h("p", { class: "original-request" }, t.body || "")),
      ratingBox(t),
      t.guide ? ZD.guideBlock(t.guide, { id: "checklist", tick: open && mine ? (name, on) => tickMaterial(name, on) : null, disabled: !(open && mine) }) : null,
      h("div", { class: "thread-cols" },
        h("div", { class: "thread", id: "thread" }, h("h3", {}, "往来记录"), pub.length || (t.history || []).length ? timeline(pub, t.history, t.attachments) : h("p", { class: "muted" }, "暂无回复")),
        h("aside", { class: "notes", id: "notes" }, h("h3", {}, "内部备注（企业不可见）"), notes.length ? notes.map(messageNode) : h("p", { class: "muted" }, "暂无备注"))),
      open ? h("div", { class: "actions-box" },
        t.status === "new" ? h("button", { type: "button", class: "primary", id: "claim", onclick: () => act("claim") }, "认领") : null,
        mine ? null : h("p", { class: "alert", id: "not-mine" }, `该工单由 ${t.assignee} 办理：您可以添加内部备注，回复、补充材料、办结和转办由办理人操作。`),
        confirmBox(t, reply),
        mine ? h("div", { class: "action-row" }, h("label", {}, t.status === "new" ? "回复企业（回复即认领）" : "回复企业", reply),
          h("div", { class: "buttons" },
            h("button", { type: "button", class: "primary", id: "reply", onclick: () => act("reply", { body: reply.value }, "reply") }, "发送回复"),
            t.status === "claimed" ? h("button", { type: "button", class: "secondary", id: "wait", title: "将附上办事指南中尚未勾选的材料清单", onclick: () => act("wait", { body: reply.value, ...(t.guide && t.guide.missing.length ? { missing: t.guide.missing } : {}) }, "reply") }, "请企业补充材料") : null,
            ZD.uploadPicker("staff-file", (file) => sendFile(file)),
            t.status === "new" ? null : h("button", { type: "button", class: "secondary", id: "resolve", onclick: () => { state.confirming = { action: "resolve" }; renderTicket(); } }, "办结"))) : null,
        h("div", { class: "action-row" }, h("label", {}, "内部备注", note),
          h("div", { class: "buttons" }, h("button", { type: "button", class: "secondary", id: "note", onclick: () => act("note", { body: note.value }, "note") }, "添加备注"))),
        mine ? h("div", { class: "action-row inline" }, h("label", {}, "转办到", transferTo),
          h("button", { type: "button", class: "secondary", id: "transfer", onclick: () => { const [kind, key] = transferTo.value.split(":"); state.confirming = { action: "transfer", kind, key, label: transferTo.options[transferTo.selectedIndex].textContent }; renderTicket(); } }, "转办")) : null) : h("p", { class: "muted" }, "该工单已结束。"),
    );
    const chosen = state.drafts[`${t.number}:transfer`];
    if (chosen && [...transferTo.options].some((o) => o.value === chosen)) transferTo.value = chosen;
    transferTo.addEventListener("change", () => { state.drafts[`${t.number}:transfer`] = transferTo.value; });
    if (state.confirming && $("confirm-message")) $("confirm-message").focus();
    else if (focused && $(focused)) $(focused).focus();
  }

  async function act(action, payload, draftKind) {
    const t = state.ticket;
    const body = action === "claim" ? undefined : { ...(payload || {}), version: t.version };
    if (body && "body" in body) {
      body.body = (body.body || "").trim();
      if (!body.body && (action === "reply" || action === "note" || action === "wait")) { toast("请先填写内容", "error"); return; }
      if (!body.body) delete body.body;
    }
    try {
      const updated = await api("POST", `/api/v1/tickets/${encodeURIComponent(t.number)}/${action}`, body);
      if (draftKind) delete state.drafts[`${t.number}:${draftKind}`];
      state.conflict = null;
      toast({ claim: "已认领", reply: "已回复", note: "已添加备注", wait: "已请企业补充", transfer: "已转办", resolve: "已办结", materials: "已更新材料清单", rectification: "已登记回访，整改完成" }[action], "ok");
      if (updated && updated.number) state.ticket = updated;
      if (action === "transfer" && updated && !state.queues.some((q) => queueKey(q) === updated.queue)) {
        state.ticket = null; // moved out of this member's queues
        put($("ticket-pane"), h("div", { class: "empty muted" }, `${t.number} 已转办到「${updated.queue_name}」`));
      } else {
        renderTicket();
      }
      await refreshAll();
    } catch (err) {
      if (err.status === 409) {
        const latest = await api("GET", `/api/v1/tickets/${encodeURIComponent(t.number)}`).catch(() => null);
        if (latest) state.ticket = latest;
        state.conflict = err.detail;
        renderTicket();
        return;
      }
      toast(err.detail, "error");
    }
  }

  /* 好差评 on the ticket, and the 整改 a 差评 opened: overdue-marked; the 回访 closes it. */
  function ratingBox(t) {
    if (!t.rating) return null;
    const r = t.rectification;
    const note = draft("rectification"); // kept across live re-renders, like the other drafts
    note.placeholder = "回访情况：联系了谁、企业意见、整改措施";
    return h("div", { class: `rating-box ${r && r.overdue ? "overdue" : ""}`, id: "rating-box" },
      h("p", {}, h("strong", {}, "好差评："), `${"★".repeat(t.rating.score)}${"☆".repeat(5 - t.rating.score)} ${ZD.ratingLabel(t.rating.score)}`,
        t.rating.comment ? ` · 意见：${t.rating.comment}` : ""),
      r ? h("p", { id: "rectification" }, h("strong", {}, "整改："), ZD.rectificationText(r),
        r.overdue ? h("span", { class: "badge overdue" }, "整改逾期") : null) : null,
      r && r.status === "open" ? h("div", { class: "action-row" }, h("label", {}, "回访记录", note),
        h("div", { class: "buttons" }, h("button", { type: "button", class: "primary", id: "rectify", onclick: () => {
          if (!note.value.trim()) { toast("请填写回访记录", "error"); return; }
          act("rectification", { note: note.value.trim() }, "rectification");
        } }, "登记回访，完成整改"))) : null);
  }

  /* The ratings of my queues, 整改 first: the list a supervisor follows up by date. */
  async function loadRatings() {
    const filter = $("ratings-filter").value;
    try {
      const data = await api("GET", `/api/v1/ratings?limit=50${filter ? `&filter=${filter}` : ""}`);
      $("ratings-total").textContent = `共 ${data.total} 条`;
      const items = data.items || [];
      put($("ratings-list"), ...(items.length ? items.map((r) => h("li", { class: `ticket-row ${r.rectification && r.rectification.overdue ? "overdue" : ""}`, dataset: { rating: r.number } },
        h("button", { type: "button", class: "row-button", onclick: () => openTicket(r.number) },
          h("span", { class: "row-top" }, h("span", { class: "number" }, r.number),
            r.rectification && r.rectification.overdue ? h("span", { class: "badge overdue" }, "整改逾期") : null,
            h("span", { class: "status" }, `${"★".repeat(r.score)} ${r.level}`)),
          h("span", { class: "subject" }, r.comment || r.subject),
          h("span", { class: "row-meta muted small" }, r.rectification ? ZD.rectificationText(r.rectification) : r.queue_name))))
        : [h("li", { class: "muted empty" }, "暂无")]));
    } catch (err) { toast(err.detail, "error"); }
  }

  /* Send a file to the enterprise (a public reply: on a new ticket it claims it). */
  async function sendFile(file) {
    const t = state.ticket;
    try {
      await ZD.upload(`/api/v1/tickets/${encodeURIComponent(t.number)}/attachments`, file, { version: t.version });
      toast(`已发送附件：${file.name}`, "ok");
      await openTicket(t.number, true);
    } catch (err) {
      if (err.status === 409) { state.conflict = err.detail; await openTicket(t.number, true); return; }
      toast(err.detail, "error");
    }
  }

  /* Tick or untick one material of the guide: the whole received set is sent with the version. */
  function tickMaterial(name, on) {
    const received = new Set(state.ticket.guide.checklist.filter((m) => m.received).map((m) => m.name));
    if (on) received.add(name); else received.delete(name);
    act("materials", { received: [...received] });
  }

  async function refreshAll() {
    try {
      await loadQueues();
      await loadTickets();
      await loadRatings();
    } catch (err) {
      toast(err.detail, "error");
    }
  }

  /* ---------- live ---------- */
  let pending = null;
  liveEvents((type, data) => {
    if (!data.number) return;
    if (type === "ticket.created") state.fresh.add(data.number);
    clearTimeout(pending);
    pending = setTimeout(async () => {
      await refreshAll();
      if (state.ticket && state.ticket.number === data.number) {
        const latest = await api("GET", `/api/v1/tickets/${encodeURIComponent(data.number)}`).catch(() => null);
        if (latest && latest.version !== state.ticket.version) { state.ticket = latest; renderTicket(); }
      }
    }, 150);
  }, $("live"));

  /* ---------- Telegram link: a one-time code the staff member sends to the bot ---------- */
  async function showTelegramCode() {
    const { code, expires_at: expiresAt } = await api("POST", "/api/v1/auth/telegram-code");
    const panel = $("telegram-code");
    put(panel,
      h("p", {}, "绑定码：", h("strong", { class: "mono", id: "telegram-code-value" }, code),
        `（${fmtTime(expiresAt)} 前有效，仅可使用一次）`),
      h("p", { class: "small" }, "请在 Telegram 中向本系统机器人发送：", h("code", {}, `/link ${code}`),
        "。绑定后即可在机器人中接收工单提醒并认领工单。"),
      h("button", { type: "button", class: "link", onclick: () => { panel.hidden = true; } }, "关闭"));
    panel.hidden = false;
  }
  const linkButton = $("telegram-link");
  if (linkButton) linkButton.addEventListener("click", () => showTelegramCode().catch((e) => toast(e.detail, "error")));

  $("status-filter").addEventListener("change", () => loadTickets().catch((e) => toast(e.detail, "error")));
  $("ratings-filter").addEventListener("change", () => loadRatings());
  let searchTimer = null;
  $("ticket-search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => loadTickets().catch((e) => toast(e.detail, "error")), 250);
  });

  (async () => {
    state.me = await api("GET", "/api/v1/auth/me").catch(() => null);
    await refreshAll();
    const initial = document.querySelector(".console-grid").dataset.initialTicket || location.hash.slice(1);
    if (initial) await openTicket(initial);
  })();
})();
