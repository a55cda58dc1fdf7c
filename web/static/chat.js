/* The public chat page: ask, eligibility self-check, service requests. */
"use strict";

(() => {
  const { api, h, put, toast, fmtTime, statusLabel, categoryLabel, labels, liveEvents, newKey } = ZD;
  const $ = (id) => document.getElementById(id);

  /* ---------- tabs ---------- */
  function showTab(name) {
    const tab = ["ask", "check", "requests", "mine"].includes(name) && $(`panel-${name}`) ? name : "ask";
    document.querySelectorAll("[data-panel]").forEach((p) => { p.hidden = p.dataset.panel !== tab; });
    document.querySelectorAll("[data-tab]").forEach((a) => a.classList.toggle("active", a.dataset.tab === tab));
    if (tab === "check" && !check.started) check.start(null);
    if (tab === "requests") requests.refresh();
    if (tab === "mine") mine.refresh();
  }
  window.addEventListener("hashchange", () => showTab(location.hash.slice(1)));

  /* ---------- ask ---------- */
  const answers = $("answers");

  /** A measure as written in its document: （八）大力集聚高端创新平台 (never a bare ordinal like 第8条). */
  function measureName(match) {
    if (!match) return "";
    return `${match.label || ""}${match.title || ""}`;
  }

  /** The page of a measure: /policies/<document id>/<n>. */
  function measureHref(measureId) {
    const cut = String(measureId || "").lastIndexOf("#");
    if (cut < 1) return null;
    return `/policies/${encodeURIComponent(measureId.slice(0, cut))}/${encodeURIComponent(measureId.slice(cut + 1))}`;
  }

  function docBadges(doc) {
    return [
      doc.level_label ? h("span", { class: `doc-level ${doc.level || ""}` }, doc.level_label) : null,
      doc.status_label ? h("span", { class: `doc-status ${doc.status || ""}` }, doc.status_label) : null,
    ].filter(Boolean);
  }

  /** Where the answer comes from: 《title》, 文号, level and status. */
  function sourceLine(doc) {
    if (!doc) return null;
    return h("p", { class: "answer-source", dataset: { document: doc.id || "" } },
      h("span", {}, "出自"), h("a", { class: "source-title", href: `/policies/${encodeURIComponent(doc.id)}` }, `《${doc.title}》`),
      doc.doc_number ? h("span", { class: "doc-number" }, doc.doc_number) : null, ...docBadges(doc));
  }

  /** Current measures of other documents that answer too: 省级另有：《…》（三）… */
  function othersBlock(others) {
    if (!others || !others.length) return null;
    return h("div", { class: "answer-others" }, others.map((o) => {
      const doc = o.document || {};
      const href = measureHref(o.measure_id);
      const name = `《${doc.title || ""}》${measureName(o)}`;
      return h("p", { class: "other", dataset: { measure: o.measure_id || "" } },
        `${doc.level_label || ""}另有：`, href ? h("a", { href }, name) : name,
        doc.status === "draft" && doc.status_label ? h("span", { class: "doc-status draft" }, doc.status_label) : null);
    }));
  }

  /** A link to a measure named as written; without a label from the API, the name is looked up once per measure. */
  const measureNames = new Map();
  function measureRef(measureId, label) {
    const link = h("a", { class: "measure-ref", href: measureHref(measureId) || "/policies" }, label || "查看条款");
    if (!label && measureId) {
      if (!measureNames.has(measureId)) {
        measureNames.set(measureId, api("GET", `/api/v1/measures/${encodeURIComponent(measureId)}`).then(measureName).catch(() => null));
      }
      measureNames.get(measureId).then((name) => { if (name) link.textContent = name; });
    }
    return link;
  }

  /** Whether a measure has eligibility clauses (看看我是否符合 is offered only then), asked once per measure. */
  const clauseCounts = new Map();
  function hasClauses(measureId) {
    if (!clauseCounts.has(measureId)) {
      clauseCounts.set(measureId, api("GET", `/api/v1/clauses?measure_id=${encodeURIComponent(measureId)}`)
        .then((page) => page.total > 0).catch(() => false));
    }
    return clauseCounts.get(measureId);
  }

  function toStaff(question, category) {
    location.hash = "#requests";
    const subject = $("request-subject");
    if (subject) {
      subject.value = question.slice(0, 200);
      $("request-body").value = question;
      if (category) {
        $("request-category").value = category;
        $("request-category").dispatchEvent(new Event("change")); // shows its 办事指南
      }
      subject.focus();
    }
  }

  /** The 「您想问的是：」 texts, in English when the page is in English. */
  const clarifyTexts = () => ((document.documentElement.lang || "").toLowerCase().startsWith("en") ? labels.clarify_en : labels.clarify);

  /** Record the asker's choice; a measure comes back with its answer card. */
  function pick(question, result, choice, measureId) {
    const offered = (result.clarify || []).map((c) => c.measure_id);
    return api("POST", "/api/v1/ask/pick", { text: question, choice, measure_id: measureId || null, offered });
  }

  /** 「您想问的是：」 with the offered measures (title and document) as buttons, plus 都不是 and 转人工. */
  function clarifyBlock(question, result, card) {
    const clarifyText = clarifyTexts();
    const block = h("div", { class: "clarify", role: "group", "aria-label": clarifyText.prompt });
    const done = (node) => { block.replaceWith(node); };
    const choose = async (choice, measureId) => {
      block.querySelectorAll("button").forEach((b) => { b.disabled = true; });
      try {
        const out = await pick(question, result, choice, measureId);
        if (choice === "measure" && out.result) card.replaceWith(answerCard(question, out.result));
        else if (choice === "staff") { done(h("p", { class: "muted" }, clarifyText.staff)); toStaff(question, result.category); }
        else done(h("p", { class: "muted clarify-none" }, clarifyText.none_recorded));
      } catch (err) {
        block.querySelectorAll("button").forEach((b) => { b.disabled = false; });
        toast(err.detail, "error");
      }
    };
    block.append(
      h("p", { class: "clarify-prompt" }, clarifyText.prompt),
      h("div", { class: "clarify-choices" }, result.clarify.map((c) => h("button", {
        type: "button", class: "secondary clarify-choice", dataset: { measure: c.measure_id },
        onclick: () => choose("measure", c.measure_id),
      }, h("span", { class: "clarify-title" }, measureName(c)),
      c.document ? h("span", { class: "clarify-document muted small" }, `《${c.document.title}》`) : null))),
      h("div", { class: "clarify-other" },
        h("button", { type: "button", class: "link clarify-none-button", onclick: () => choose("none") }, clarifyText.none),
        h("button", { type: "button", class: "link clarify-staff-button", onclick: () => choose("staff") }, clarifyText.staff)),
    );
    return block;
  }

  function answerCard(question, result) {
    const top = (result.matches || [])[0];
    const a = result.answer || {};
    const card = h("article", { class: `answer-card ${result.confident ? "" : "unsure"}`, dataset: { intent: result.intent || "" } });
    const buttons = h("div", { class: "actions" });
    if (result.confident && top) {
      // Element.append() would print a null as the text "null": keep only real nodes.
      const name = a.label ? `${a.label}${top.title}` : measureName(top);
      card.append(...[
        h("h3", { class: "answer-title" }, name),
        a.title && !a.title.endsWith(top.title) ? h("p", { class: "answer-sub" }, a.title) : null,
        sourceLine(a.document),
        a.notice ? h("p", { class: "alert caveat answer-notice", role: "note" }, a.notice) : null,
        h("p", { class: "answer-summary" }, a.summary || ""),
        (a.lead_units || []).length ? h("p", { class: "units" }, h("span", { class: "tag" }, "牵头单位"), a.lead_units.join("、")) : null,
        (a.participating_units || []).length ? h("p", { class: "units muted" }, h("span", { class: "tag soft" }, "参与单位"), a.participating_units.join("、")) : null,
        othersBlock(a.others),
      ].filter(Boolean));
      const href = top.document_id && top.number
        ? `/policies/${encodeURIComponent(top.document_id)}/${encodeURIComponent(top.number)}` : measureHref(top.measure_id);
      if (href) buttons.append(h("a", { class: "button view-original", href }, "查看原文"));
      const checkButton = h("button", { type: "button", class: "secondary check-me", hidden: true, onclick: () => { location.hash = "#check"; check.start(top.measure_id, name); } }, "看看我是否符合");
      buttons.append(checkButton);
      hasClauses(top.measure_id).then((yes) => { checkButton.hidden = !yes; });
    } else {
      card.append(
        h("h3", { class: "answer-title" }, result.intent === "chitchat" ? "您好！" : "暂时没有找到确切的答案"),
        h("p", { class: "answer-summary" }, a.summary || "这个问题我不太确定，建议转给园区工作人员为您解答。"),
      );
      const guesses = (result.matches || []).slice(0, 3);
      if ((result.clarify || []).length) {
        card.append(clarifyBlock(question, result, card));
        return card; // 转人工 is one of the choices: the pick is recorded before the hand-over
      }
      if (guesses.length && result.intent !== "chitchat") {
        card.append(h("p", { class: "muted" }, "您可能想了解："),
          h("ul", { class: "guesses" }, guesses.map((m) => h("li", {}, h("button", { type: "button", class: "link", onclick: () => ask(m.title) }, measureName(m))))));
      }
    }
    buttons.append(h("button", { type: "button", class: result.confident ? "secondary" : "primary", onclick: () => toStaff(question, result.category) }, "转人工"));
    card.append(buttons);
    return card;
  }

  async function ask(question) {
    const text = question.trim();
    if (!text) return;
    const bubble = h("div", { class: "bubble me" }, text);
    const pending = h("div", { class: "answer-card pending" }, "正在查找相关政策…");
    answers.prepend(bubble, pending);
    try {
      const result = await api("POST", "/api/v1/ask", { text });
      pending.replaceWith(answerCard(text, result));
    } catch (err) {
      pending.replaceWith(h("div", { class: "alert error" }, err.detail));
    }
  }

  $("ask-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const input = $("question");
    ask(input.value);
    input.value = "";
  });

  /* ---------- eligibility self-check ---------- */
  /* The API decides everything: which clauses (a measure's when focused), the next question (never a skipped
     fact), each condition's state. This page only renders what /api/v1/eligibility/check returns. */
  const check = {
    started: false,
    profile: {},
    labels: {},
    skipped: [],
    focus: null,
    async start(measureId, title) {
      this.started = true;
      this.profile = {};
      this.labels = {};
      this.skipped = [];
      this.focus = measureId;
      $("check-scope").textContent = measureId
        ? `正在核对：${title || measureId}。回答几个问题即可知道结果。`
        : "回答几个问题，看看贵单位可能符合哪些支持条款。";
      try {
        await this.step();
      } catch (err) {
        put($("check-question"), h("p", { class: "alert error" }, err.detail));
      }
    },
    async step() {
      const result = await api("POST", "/api/v1/eligibility/check",
        { profile: this.profile, measure_id: this.focus, skipped: this.skipped });
      this.renderAnswered();
      this.renderQuestion(result.next_question);
      this.renderResults(result.verdicts || [], !result.next_question);
    },
    renderQuestion(question) {
      const box = $("check-question");
      if (!question) {
        put(box, h("p", { class: "done" }, "问题已问完，结果如下。"));
        return;
      }
      put(box,
        h("p", { class: "q", id: "check-q", dataset: { fact: question.fact } }, question.question),
        question.help ? h("p", { class: "muted small" }, question.help) : null,
        h("div", { class: "options" },
          question.options.map((o) => h("button", { type: "button", class: "option", onclick: () => this.answer(question, o) }, o.label)),
          h("button", { type: "button", class: "option skip", onclick: () => { this.skipped.push(question.fact); this.step().catch((e) => toast(e.detail, "error")); } }, "不清楚"),
        ),
      );
    },
    answer(question, option) {
      this.profile[question.fact] = option.value;
      this.labels[question.fact] = `${question.label}：${option.label}`;
      this.step().catch((err) => {
        delete this.profile[question.fact];
        toast(err.detail, "error");
      });
    },
    renderAnswered() {
      const box = $("check-answered");
      put(box, ...Object.keys(this.profile).map((name) => h("span", { class: "chip" }, this.labels[name] || name,
        h("button", { type: "button", class: "link", title: "修改", onclick: () => { delete this.profile[name]; this.step(); } }, "改"))));
    },
    conditionList(v) {
      const marks = { met: "✓", failed: "✗", unknown: "？" };
      return h("ul", { class: "conditions" }, (v.conditions || []).map((c) =>
        h("li", { class: `cond ${c.state}`, dataset: { state: c.state } }, h("span", { class: "mark" }, marks[c.state] || ""), c.text)));
    },
    renderResults(verdicts, finished) {
      const groups = { eligible: [], ineligible: [], needs_info: [] };
      verdicts.forEach((v) => (groups[v.status] || groups.needs_info).push(v));
      const section = (status, title) => {
        if (!groups[status].length) return null;
        return h("div", { class: `verdicts ${status}` }, h("h3", {}, `${title}（${groups[status].length}）`),
          groups[status].map((v) => h("article", { class: `verdict ${v.status}`, dataset: { clause: v.clause_id } },
            h("div", { class: "verdict-head" }, h("span", { class: `badge ${v.status}` }, labels.verdicts[v.status] || v.status), h("strong", {}, v.title || v.clause_id)),
            v.benefit ? h("p", {}, v.benefit, v.amount ? `（${v.amount}）` : "") : null,
            v.application_window ? h("p", { class: "muted small" }, `申报时间：${v.application_window}`) : null,
            h("p", { class: "muted small" }, "依据：", measureRef(v.measure_id, v.measure_label),
              v.document_title ? `　《${v.document_title}》` : "", `　牵头单位：${(v.lead_units || []).join("、") || v.lead_unit || "—"}`),
            this.conditionList(v))));
      };
      put($("check-results"),
        h("div", { class: "card" },
          h("h2", {}, finished ? "自测结果" : "当前结果"),
          section("eligible", "可能符合"), section("needs_info", "尚待确认"), section("ineligible", "暂不符合"),
          h("p", { class: "muted small" }, "以上为依据政策条款的自动判断，最终以牵头单位的实施细则和审核为准。")));
    },
  };
  $("check-restart").addEventListener("click", () => check.start(check.focus));

  /* ---------- 我的政策 and 消息 (enterprise accounts) ---------- */
  const mine = {
    async badge() {
      const badge = $("inbox-badge");
      if (!badge) return;
      const page = await api("GET", "/api/v1/notifications?limit=200");
      badge.textContent = String(page.unread);
      badge.hidden = !page.unread;
      return page;
    },
    policyCard(p) {
      return h("article", { class: `verdict ${p.status}`, dataset: { clause: p.clause_id } },
        h("div", { class: "verdict-head" }, h("span", { class: `badge ${p.status}` }, labels.verdicts[p.status] || p.status), h("strong", {}, p.title)),
        h("p", {}, p.benefit, p.amount ? `（${p.amount}）` : ""),
        p.application_window ? h("p", { class: "muted small" }, `申报时间：${p.application_window}`) : null,
        h("p", { class: "muted small" }, "依据：", measureRef(p.measure_id, p.measure_label),
          p.document_title ? `　《${p.document_title}》` : "", `　牵头单位：${p.lead_unit}`),
        p.unknown.length ? h("p", { class: "muted small" }, `还需确认：${p.unknown.join("；")}`) : null);
    },
    async refresh() {
      if (!$("panel-mine")) return;
      try {
        const page = await this.badge();
        $("inbox-enabled").checked = page.enabled;
        put($("inbox"), page.items.length ? page.items.map((n) => h("li", { class: n.read ? "read" : "unread", dataset: { clause: n.clause_id } },
          h("span", { class: `badge ${n.status}` }, n.status === "eligible" ? "新政策符合" : "差一项"), " ",
          h("strong", {}, n.title || n.clause_id), " ", fmtTime(n.created_at), " ",
          h("button", { type: "button", class: "link", onclick: () => { location.hash = "#check"; check.start(n.measure_id, n.title); } }, "一键自测"))) : [h("li", { class: "muted" }, "暂无消息")]);
        const unread = page.items.filter((n) => !n.read).map((n) => n.id);
        if (unread.length) api("POST", "/api/v1/notifications/read", { ids: unread }).then(() => this.badge()).catch(() => null);
        const policies = await api("GET", "/api/v1/my/policies");
        put($("my-policies"), policies.items.length ? policies.items.map((p) => this.policyCard(p))
          : [h("p", { class: "muted" }, "暂无。先做一次资格自测，答案会保存下来。")]);
      } catch (err) {
        toast(err.detail, "error");
      }
    },
  };
  if ($("inbox-enabled")) {
    $("inbox-enabled").addEventListener("change", (e) =>
      api("PUT", "/api/v1/notifications/settings", { enabled: e.target.checked }).catch((err) => toast(err.detail, "error")));
    mine.badge().catch(() => null);
  }

  /* ---------- service requests (enterprise accounts) ---------- */
  /* The promised deadline as the enterprise sees it; paused while staff wait for its materials. */
  function deadlineLine(t) {
    if (["resolved", "closed", "cancelled"].includes(t.status)) return null;
    if (t.sla_paused) return h("p", { class: "deadline paused", id: "request-deadline" }, "办理时限：暂停计时（等待您补充材料，补充后恢复计时）");
    if (!t.sla_due_at) return null;
    return h("p", { class: "deadline", id: "request-deadline" }, `承诺办结时间：${fmtTime(t.sla_due_at)} 前`, t.sla_note ? h("span", { class: "muted small" }, `（${t.sla_note}）`) : null);
  }

  function attachmentNode(a) {
    return h("div", { class: `msg ${a.author_role === "enterprise" ? "mine" : "staff"} attachment` },
      h("div", { class: "meta" }, a.author_role === "enterprise" ? "我" : "园区工作人员", " · ", fmtTime(a.created_at)),
      ZD.attachmentLink(a));
  }

  /* 办事指南 of the chosen category, shown before the enterprise submits. */
  async function showGuide() {
    const box = $("request-guide");
    if (!box) return;
    const key = $("request-category").value;
    const item = key ? (await ZD.categories().catch(() => [])).find((c) => c.category === key) : null;
    if (!item || !item.guide) { box.hidden = true; put(box); return; }
    put(box, ZD.guideBlock(item.guide));
    box.hidden = false;
  }
  if ($("request-category")) $("request-category").addEventListener("change", () => showGuide());
  const requests = {
    current: null,
    key: null,
    async refresh() {
      const list = $("my-requests");
      if (!list) return;
      try {
        const data = await api("GET", "/api/v1/requests?limit=50");
        const items = data.items || [];
        put(list, ...(items.length ? items.map((t) => h("li", { class: `ticket-row ${this.current === t.number ? "selected" : ""}`, dataset: { number: t.number } },
          h("button", { type: "button", class: "row-button", onclick: () => this.open(t.number) },
            h("span", { class: "number" }, t.number), h("span", { class: "subject" }, t.subject),
            h("span", { class: `status ${t.status}` }, statusLabel(t.status))))) : [h("li", { class: "muted" }, "暂无申请")]));
        if (this.current) await this.open(this.current, true);
      } catch (err) {
        put(list, h("li", { class: "alert error" }, err.detail));
      }
    },
    async open(number, quiet) {
      const box = $("request-detail");
      try {
        const t = await api("GET", `/api/v1/requests/${encodeURIComponent(number)}`);
        this.current = number;
        box.hidden = false;
        const messages = t.messages.filter((m) => !m.internal);
        const entries = messages.map((m) => [m.created_at, h("div", { class: `msg ${m.author_role === "enterprise" ? "mine" : "staff"}` },
          h("div", { class: "meta" }, m.author_role === "enterprise" || m.from_enterprise ? "我" : "园区工作人员", " · ", fmtTime(m.created_at)),
          h("div", { class: "body" }, m.body))])
          .concat((t.history || []).map((c) => [c.created_at, h("div", { class: "msg status-change" },
            h("div", { class: "meta" }, "状态 · ", fmtTime(c.created_at)), h("div", { class: "body" }, `状态变为「${c.status_name}」`))]))
          .concat((t.attachments || []).map((a) => [a.created_at, attachmentNode(a)]))
          .map((e, i) => [...e, i]).sort((a, b) => (new Date(a[0]) - new Date(b[0])) || (a[2] - b[2])).map((e) => e[1]);
        const reply = h("textarea", { rows: 2, maxlength: 5000, id: "request-reply", placeholder: "补充说明或回复工作人员…" });
        const open = !["resolved", "closed", "cancelled"].includes(t.status);
        put(box, 
          h("div", { class: "card-head" }, h("h2", {}, `${t.number} ${t.subject}`), h("span", { class: `status ${t.status}`, id: "request-status" }, statusLabel(t.status))),
          h("p", { class: "muted small" }, `${categoryLabel(t.category)} · 受理队列：${t.queue_name} · 提交于 ${fmtTime(t.created_at)}`),
          deadlineLine(t),
          t.guide ? ZD.guideBlock(t.guide, { id: "request-checklist" }) : null,
          h("div", { class: "thread", id: "request-thread" },
            h("div", { class: "msg mine" }, h("div", { class: "meta" }, "我 · ", fmtTime(t.created_at)), h("div", { class: "body" }, t.body || "")),
            entries),
          open ? h("form", { class: "reply-box", onsubmit: (ev) => { ev.preventDefault(); this.send(number, reply); } }, reply, h("button", { type: "submit", class: "primary" }, "发送")) : null,
          open ? ZD.uploadPicker("request-file", (file) => this.attach(number, file)) : null,
          open ? h("p", { class: "small" }, h("button", { type: "button", class: "link", id: "request-cancel", onclick: () => this.cancel(number) }, "撤销申请")) : null,
          t.status === "resolved" && !t.rating ? this.ratingForm(number) : null,
          t.rating ? h("p", { class: "muted small" }, `您的评价：${"★".repeat(t.rating.score)}${"☆".repeat(5 - t.rating.score)} ${ZD.ratingLabel(t.rating.score)} ${t.rating.comment || ""}`) : null,
        );
        if (!quiet) box.scrollIntoView({ behavior: "smooth", block: "start" });
      } catch (err) {
        if (!quiet) toast(err.detail, "error");
      }
    },
    ratingForm(number) {
      const comment = h("input", { maxlength: 1000, placeholder: "意见建议（选填）" });
      return h("div", { class: "rating" }, h("p", {}, "请对本次服务进行评价（好差评）："),
        h("div", { class: "options" }, [5, 4, 3, 2, 1].map((score) => h("button", { type: "button", class: "option", onclick: () => this.rate(number, score, comment.value) },
          `${"★".repeat(score)} ${ZD.ratingLabel(score)}`))), comment);
    },
    async rate(number, score, comment) {
      try {
        await api("POST", `/api/v1/requests/${encodeURIComponent(number)}/rating`, { score, comment: comment.trim() });
        toast("感谢您的评价", "ok");
        await this.open(number, true);
      } catch (err) { toast(err.detail, "error"); }
    },
    async cancel(number) {
      if (!window.confirm("确定撤销这条申请吗？")) return;
      try {
        await api("POST", `/api/v1/requests/${encodeURIComponent(number)}/cancel`, {});
        toast("申请已撤销", "ok");
        await this.refresh();
      } catch (err) { toast(err.detail, "error"); }
    },
    async attach(number, file) {
      try {
        await ZD.upload(`/api/v1/requests/${encodeURIComponent(number)}/attachments`, file);
        toast(`已上传：${file.name}`, "ok");
        await this.open(number, true);
      } catch (err) { toast(err.detail, "error"); }
    },
    async send(number, textarea) {
      const body = textarea.value.trim();
      if (!body) return;
      try {
        await api("POST", `/api/v1/requests/${encodeURIComponent(number)}/messages`, { body });
        textarea.value = "";
        await this.open(number, true);
      } catch (err) {
        toast(err.detail, "error");
      }
    },
  };

  const form = $("request-form");
  if (form) {
    form.addEventListener("input", () => { requests.key = requests.key || newKey(); });
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const error = $("request-error");
      error.hidden = true;
      requests.key = requests.key || newKey();
      const payload = {
        subject: $("request-subject").value.trim(),
        body: $("request-body").value.trim(),
        contact: $("request-contact").value.trim(),
      };
      const category = $("request-category").value;
      if (category) payload.category = category;
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        const ticket = await api("POST", "/api/v1/requests", payload, { "Idempotency-Key": requests.key });
        requests.key = null; // the next request is a new one
        form.reset();
        showGuide();
        toast(`已提交，编号 ${ticket.number}`, "ok");
        requests.current = ticket.number;
        await requests.refresh();
      } catch (err) {
        error.textContent = err.detail;
        error.hidden = false;
      } finally {
        button.disabled = false;
      }
    });
    liveEvents((type, data) => {
      if (data.number) requests.refresh();
    }, $("live"));
  }

  showTab(location.hash.slice(1));
})();
