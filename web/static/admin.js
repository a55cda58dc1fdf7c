/* The admin pages: FAQ entries, unanswered questions, queues and routing, the policy library, accounts. */
"use strict";

(() => {
  const { api, h, put, toast, fmtTime, categoryLabel, labels } = ZD;
  const $ = (id) => document.getElementById(id);
  const loaded = new Set();

  function showTab(name) {
    document.querySelectorAll("[data-admin-tab]").forEach((b) => b.classList.toggle("active", b.dataset.adminTab === name));
    document.querySelectorAll("[data-admin-panel]").forEach((p) => { p.hidden = p.dataset.adminPanel !== name; });
    if (!loaded.has(name)) {
      loaded.add(name);
      const load = ({ faq: faq.load, unanswered: unanswered.load, queues: queues.load, policy: () => { library.load(); builder.load(); }, users: users.load })[name];
      if (load) load(); // other panels (admin_window.js) load themselves
    }
  }
  document.querySelectorAll("[data-admin-tab]").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.adminTab)));

  /* ---------- FAQ ---------- */
  const faq = {
    items: [],
    async load() {
      const q = $("faq-search").value.trim();
      try {
        const data = await api("GET", `/api/v1/admin/faq?limit=200${q ? `&q=${encodeURIComponent(q)}` : ""}`);
        faq.items = data.items || [];
        faq.showIndex(data.index);
        faq.render(data.total);
      } catch (err) { toast(err.detail, "error"); }
    },
    showIndex(index) {
      if (!index) return;
      $("index-version").textContent = `匹配索引版本 ${index.version} · 已发布 ${index.entries} 条 · 本实例加载于 ${fmtTime(index.loaded_at)}`;
      $("index-version").dataset.version = index.version;
    },
    render(total) {
      put($("faq-list"), ...faq.items.map((e) => h("tr", { dataset: { id: e.id } },
        h("td", {}, h("strong", {}, e.question), e.variants.length ? h("div", { class: "muted small" }, `${e.variants.length} 个变体`) : null),
        h("td", {}, e.measure_ids.map((m) => m.split("#").pop()).map((n) => `第${n}条`).join("、")),
        h("td", {}, h("span", { class: `badge ${e.source === "bundled" ? "needs_info" : e.published ? "eligible" : "ineligible"}` },
          e.source === "bundled" ? "内置" : e.published ? "已发布" : "草稿")),
        h("td", { class: "small muted" }, e.updated_at ? fmtTime(e.updated_at) : "—"),
        h("td", {}, h("button", { type: "button", class: "link", onclick: () => faq.edit(e) }, e.source === "bundled" ? "修改" : "编辑")))));
      $("faq-total").textContent = `共 ${total ?? faq.items.length} 条`;
    },
    edit(entry, prefill) {
      const e = entry || { id: "", version: "", question: "", variants: [], answer: "", measure_ids: [], source: "db" };
      const data = { ...e, ...(prefill || {}) };
      $("faq-editor").hidden = false;
      $("faq-conflict").hidden = true;
      $("faq-preview-box").hidden = true;
      $("faq-editor-title").textContent = e.source === "bundled" ? "修改内置问答（发布后替代内置条目）" : e.id ? "编辑问答" : "新建问答";
      $("faq-id").value = e.source === "bundled" ? "" : e.id;
      $("faq-version").value = e.source === "bundled" ? "" : e.version;
      $("faq-replaces").value = e.source === "bundled" ? e.id : (e.replaces || "");
      $("faq-question").value = data.question;
      $("faq-variants").value = (data.variants || []).join("\n");
      $("faq-answer").value = data.answer;
      $("faq-measures").value = (data.measure_ids || []).map((m) => (m.startsWith("sichuan-hitech-zones-draft#") ? m.split("#")[1] : m)).join(", ");
      $("faq-save").hidden = Boolean(e.published) || e.source === "bundled";
      $("faq-editor").scrollIntoView({ behavior: "smooth" });
      $("faq-question").focus();
    },
    payload() {
      return {
        question: $("faq-question").value.trim(),
        variants: $("faq-variants").value.split("\n").map((s) => s.trim()).filter(Boolean),
        answer: $("faq-answer").value.trim(),
        measure_ids: $("faq-measures").value.split(/[,，、\s]+/).map((s) => s.trim()).filter(Boolean),
        replaces: $("faq-replaces").value || null,
      };
    },
    async save(publish) {
      const id = $("faq-id").value;
      const body = { ...faq.payload(), publish };
      try {
        let entry;
        if (id) entry = await api("PUT", `/api/v1/admin/faq/${encodeURIComponent(id)}`, { ...body, version: Number($("faq-version").value) });
        else entry = await api("POST", "/api/v1/admin/faq", body);
        $("faq-id").value = entry.id;
        $("faq-version").value = entry.version;
        $("faq-conflict").hidden = true;
        toast(publish ? `已发布，匹配索引已更新（版本 ${entry.index_version || ""}）` : "草稿已保存", "ok");
        $("faq-save").hidden = entry.published;
        await faq.load();
      } catch (err) {
        if (err.status === 409) {
          const box = $("faq-conflict");
          put(box, h("strong", {}, "未保存："), err.detail, " 该问答已被其他管理员修改。您的修改仍在表单中；",
            h("button", { type: "button", class: "link", onclick: () => faq.reloadLatest(id) }, "查看最新版本"), "。");
          box.hidden = false;
          box.scrollIntoView({ behavior: "smooth" });
          return;
        }
        toast(err.detail, "error");
      }
    },
    async reloadLatest(id) {
      try {
        const latest = await api("GET", `/api/v1/admin/faq/${encodeURIComponent(id)}`);
        faq.edit(latest);
      } catch (err) { toast(err.detail, "error"); }
    },
    async preview() {
      const box = $("faq-preview-box");
      const id = $("faq-id").value;
      try {
        const data = await api("POST", "/api/v1/admin/faq/preview", { ...faq.payload(), id: id ? Number(id) : null });
        const describe = (m) => (m ? h("span", { class: m.confident ? "" : "muted" },
          m.title ? `${m.label || ""}${m.title}` : "（无匹配）", m.faq ? ` · 问答“${m.faq}”` : "", m.confident ? "" : " · 没把握") : "—");
        put(box,
          ...(data.warnings || []).map((w) => h("p", { class: "alert caveat preview-warning", role: "alert" }, w)),
          h("h3", {}, `匹配器现在怎么答（索引版本 ${data.index_version}）`),
          h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "问法"), h("th", {}, "现在的回答"), h("th", {}, "发布后的回答"))),
            h("tbody", {}, (data.rows || []).map((r) => h("tr", {}, h("td", {}, r.text), h("td", {}, describe(r.now)), h("td", {}, describe(r.after)))))));
        box.hidden = false;
      } catch (err) { toast(err.detail, "error"); }
    },
  };
  let searchTimer = null;
  $("faq-search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(faq.load, 250); });
  $("faq-new").addEventListener("click", () => faq.edit(null));
  $("faq-close").addEventListener("click", () => { $("faq-editor").hidden = true; });
  $("faq-preview").addEventListener("click", faq.preview);
  $("faq-save").addEventListener("click", () => faq.save(false));
  $("faq-form").addEventListener("submit", (ev) => { ev.preventDefault(); faq.save(true); });

  /* ---------- unanswered: clusters, review states, picks, feedback ---------- */
  const UNANSWERED_STATES = { new: "待处理", answered: "已解答", dismissed: "已忽略" };
  const CHOICES = { none: "都不是", staff: "转人工" };
  const unanswered = {
    async load() {
      await Promise.all([unanswered.clusters(), unanswered.states(), unanswered.picks(), unanswered.feedback()]);
    },
    async clusters() {
      try {
        const data = await api("GET", "/api/v1/admin/unanswered/clusters");
        const items = data.items || [];
        put($("unanswered-list"), ...(items.length ? items.map((c) => h("tr", {},
          h("td", {}, h("strong", {}, c.text)),
          h("td", { class: "cluster-count" }, c.count),
          h("td", { class: "small" }, c.questions.filter((q) => q.text !== c.text).map((q) => `${q.text}（${q.count}）`).join("；") || "—"),
          h("td", {}, h("button", { type: "button", class: "secondary", onclick: () => {
            showTab("faq");
            faq.edit(null, { question: c.text, variants: c.questions.map((q) => q.text).filter((t) => t !== c.text) });
          } }, "新建问答")))) : [h("tr", {}, h("td", { colspan: 4, class: "muted" }, "暂无未解答问题"))]));
      } catch (err) { toast(err.detail, "error"); }
    },
    async states() {
      const status = $("unanswered-status").value;
      try {
        const data = await api("GET", `/api/v1/admin/unanswered?status=${encodeURIComponent(status)}&limit=200`);
        const items = data.items || [];
        const answeredBy = (q) => (q.answered_by || "").startsWith("faq:") ? "由问答解答" : q.answered_by ? "由政策文件解答" : "";
        put($("unanswered-states"), ...(items.length ? items.map((q) => h("tr", { dataset: { id: q.id } },
          h("td", {}, q.text),
          h("td", {}, q.count),
          h("td", {}, h("span", { class: `badge ${q.status === "answered" ? "eligible" : q.status === "new" ? "needs_info" : "ineligible"}` },
            UNANSWERED_STATES[q.status] || q.status), q.status === "answered" ? h("div", { class: "muted small" }, answeredBy(q)) : null),
          h("td", {}, q.status === "new" ? h("button", { type: "button", class: "link", onclick: () => unanswered.dismiss(q.id) }, "忽略") : null)))
          : [h("tr", {}, h("td", { colspan: 4, class: "muted" }, "暂无"))]));
      } catch (err) { toast(err.detail, "error"); }
    },
    async dismiss(id) {
      try {
        await api("POST", `/api/v1/admin/unanswered/${encodeURIComponent(id)}/dismiss`);
        toast("已忽略", "ok");
        await Promise.all([unanswered.clusters(), unanswered.states()]);
      } catch (err) { toast(err.detail, "error"); }
    },
    async picks() {
      try {
        const data = await api("GET", "/api/v1/admin/picks?limit=200");
        const items = data.items || [];
        put($("pick-list"), ...(items.length ? items.map((p) => h("tr", { dataset: { id: p.id } },
          h("td", {}, p.text),
          h("td", {}, p.choice === "measure" ? `${p.measure_label || ""}${p.measure_title || p.measure_id}` : CHOICES[p.choice] || p.choice),
          h("td", { class: "small muted" }, fmtTime(p.created_at)),
          h("td", {}, p.accepted_at ? h("span", { class: "badge eligible" }, "已采纳")
            : p.choice === "measure" ? h("button", { type: "button", class: "secondary", onclick: () => unanswered.accept(p.id) }, "采纳为问法") : null)))
          : [h("tr", {}, h("td", { colspan: 4, class: "muted" }, "暂无用户选择"))]));
      } catch (err) { toast(err.detail, "error"); }
    },
    async accept(id) {
      try {
        const out = await api("POST", `/api/v1/admin/picks/${encodeURIComponent(id)}/accept`);
        toast(`已加为问答“${out.entry.question}”的问法，匹配索引已更新（版本 ${out.entry.index_version || ""}）`, "ok");
        loaded.delete("faq");
        await unanswered.load();
      } catch (err) { toast(err.detail, "error"); }
    },
    async feedback() {
      const helpful = $("feedback-filter").value;
      try {
        const data = await api("GET", `/api/v1/admin/feedback?limit=200${helpful ? `&helpful=${helpful}` : ""}`);
        const items = data.items || [];
        put($("feedback-list"), ...(items.length ? items.map((f) => h("tr", {},
          h("td", {}, f.text || "—"),
          h("td", { class: "small" }, f.measure_id || "—"),
          h("td", {}, f.helpful ? "👍" : "👎"),
          h("td", { class: "small muted" }, fmtTime(f.created_at))))
          : [h("tr", {}, h("td", { colspan: 4, class: "muted" }, "暂无评价"))]));
      } catch (err) { toast(err.detail, "error"); }
    },
  };
  $("unanswered-refresh").addEventListener("click", unanswered.load);
  $("unanswered-status").addEventListener("change", unanswered.states);
  $("feedback-filter").addEventListener("change", unanswered.feedback);

  /* ---------- queues, members, routing ---------- */
  const queues = {
    list: [],
    async load() {
      try {
        const [qs, rules] = await Promise.all([api("GET", "/api/v1/admin/queues"), api("GET", "/api/v1/admin/routing")]);
        queues.list = qs.items || [];
        const members = await Promise.all(queues.list.map((q) => api("GET", `/api/v1/admin/queues/${encodeURIComponent(q.key)}/members`).catch(() => ({ items: [] }))));
        put($("queue-list"), ...queues.list.map((q, i) => queues.row(q, members[i].items || [])));
        put($("routing-list"), ...(rules.items || []).map((r) => h("tr", {},
          h("td", {}, r.name || categoryLabel(r.category)),
          h("td", {}, h("select", { onchange: (ev) => queues.route(r.category, ev.target.value) },
            queues.list.map((q) => h("option", { value: q.key, selected: q.key === r.queue }, q.name)))))));
      } catch (err) { toast(err.detail, "error"); }
    },
    row(q, members) {
      const input = h("input", { placeholder: "用户名", class: "small", "aria-label": "添加成员" });
      return h("tr", { dataset: { queue: q.key } },
        h("td", {}, h("strong", {}, q.name), h("div", { class: "muted small" }, q.key),
          q.members === 0 ? h("span", { class: "badge overdue", dataset: { unstaffed: q.key } }, "无成员：工单无人受理") : null),
        h("td", {}, q.department),
        h("td", {}, q.sla_hours),
        h("td", {},
          h("div", { class: "answered" }, members.map((m) => h("span", { class: "chip" }, m.display_name || m.username,
            m.supervisor ? h("span", { class: "tag" }, "主管") : null,
            h("button", { type: "button", class: "link", title: m.supervisor ? "取消主管" : "设为主管（督办、报表、超时提醒）", onclick: () => queues.supervisor(q.key, m.username, !m.supervisor) }, m.supervisor ? "取消主管" : "设为主管"),
            h("button", { type: "button", class: "link", title: "移出", onclick: () => queues.member(q.key, m.username, false) }, "×")))),
          h("form", { class: "reply-box", onsubmit: (ev) => { ev.preventDefault(); if (input.value.trim()) queues.member(q.key, input.value.trim(), true); } },
            input, h("button", { type: "submit", class: "secondary" }, "添加"))));
    },
    async member(key, username, add) {
      try {
        await api(add ? "PUT" : "DELETE", `/api/v1/admin/queues/${encodeURIComponent(key)}/members/${encodeURIComponent(username)}`);
        toast(add ? "已添加成员" : "已移出成员", "ok");
        await queues.load();
      } catch (err) { toast(err.detail, "error"); }
    },
    async supervisor(key, username, supervisor) {
      try {
        await api("PUT", `/api/v1/admin/queues/${encodeURIComponent(key)}/members/${encodeURIComponent(username)}`, { supervisor });
        toast(supervisor ? "已设为主管" : "已取消主管", "ok");
        await queues.load();
      } catch (err) { toast(err.detail, "error"); }
    },
    async route(category, queue) {
      try {
        await api("PUT", `/api/v1/admin/routing/${encodeURIComponent(category)}`, { queue });
        toast(`${categoryLabel(category)} 已改派到 ${queue}`, "ok");
      } catch (err) { toast(err.detail, "error"); await queues.load(); }
    },
  };
  $("queue-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await api("POST", "/api/v1/admin/queues", {
        key: $("queue-key").value.trim(), name: $("queue-name").value.trim(),
        department: $("queue-department").value.trim(), sla_hours: Number($("queue-sla").value) || 16,
      });
      ev.target.reset();
      toast("队列已新增", "ok");
      await queues.load();
    } catch (err) { toast(err.detail, "error"); }
  });

  /* ---------- policy library: documents, import with preview and diff, metadata, versions, retire ---------- */
  const META_FIELDS = ["title", "doc_number", "issuer", "level", "status", "issued_on", "effective_from", "effective_to"];
  const levelLabel = (v) => labels.levels?.[v] || v || "";
  const docStatusLabel = (v) => labels.document_statuses?.[v] || v || "";
  const showError = (id, message) => { const box = $(id); box.textContent = message || ""; box.hidden = !message; };

  /** Put a document's metadata into a metadata form (`import` or `meta`). */
  function fillMeta(prefix, doc) {
    for (const name of META_FIELDS) $(`${prefix}-${name}`).value = doc[name] ?? "";
  }

  /** The metadata form's values as the API takes them: "" clears 文号/issuer/dates; an empty title keeps the parsed one. */
  function readMeta(prefix) {
    const meta = {};
    for (const name of META_FIELDS) {
      const value = $(`${prefix}-${name}`).value.trim();
      if (name === "title") { if (value) meta.title = value; } else if (name.includes("_on") || name.startsWith("effective")) meta[name] = value || null;
      else meta[name] = value;
    }
    return meta;
  }

  /* Word/character-level highlighting: LCS over tokens (a CJK character, a run of Latin letters and digits, or a space run). */
  const MAX_CELLS = 2_000_000;
  function tokens(text) { return String(text ?? "").match(/[A-Za-z0-9.%]+|\s+|[\s\S]/gu) || []; }
  function diffTokens(a, b) {
    let start = 0;
    while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
    let endA = a.length;
    let endB = b.length;
    while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA -= 1; endB -= 1; }
    const ops = [["=", a.slice(0, start).join("")]];
    const x = a.slice(start, endA);
    const y = b.slice(start, endB);
    const n = x.length;
    const m = y.length;
    if (n * m > MAX_CELLS) {
      ops.push(["-", x.join("")], ["+", y.join("")]);
    } else {
      const width = m + 1;
      const lcs = new Uint32Array((n + 1) * width);
      for (let i = n - 1; i >= 0; i -= 1) {
        for (let j = m - 1; j >= 0; j -= 1) {
          lcs[i * width + j] = x[i] === y[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
        }
      }
      let i = 0;
      let j = 0;
      while (i < n || j < m) {
        if (i < n && j < m && x[i] === y[j]) { ops.push(["=", x[i]]); i += 1; j += 1; }
        else if (j < m && (i === n || lcs[i * width + j + 1] >= lcs[(i + 1) * width + j])) { ops.push(["+", y[j]]); j += 1; }
        else { ops.push(["-", x[i]]); i += 1; }
      }
    }
    ops.push(["=", a.slice(endA).join("")]);
    const merged = [];
    for (const [op, text] of ops) {
      if (!text) continue;
      const last = merged[merged.length - 1];
      if (last && last[0] === op) last[1] += text; else merged.push([op, text]);
    }
    return merged;
  }
  /** Before and after as nodes, the removed text in <del class="hl">, the inserted text in <ins class="hl">. */
  function highlight(before, after) {
    const ops = diffTokens(tokens(before), tokens(after));
    return {
      before: ops.filter(([op]) => op !== "+").map(([op, text]) => (op === "-" ? h("del", { class: "hl" }, text) : text)),
      after: ops.filter(([op]) => op !== "-").map(([op, text]) => (op === "+" ? h("ins", { class: "hl" }, text) : text)),
    };
  }

  const FIELD_NAMES = { title: "标题", body: "正文", lead_units: "牵头单位", participating_units: "参与单位" };
  const fieldText = (side, field) => (Array.isArray(side[field]) ? side[field].join("、") : side[field] || "");

  /** A diff as added / removed / changed, each changed field before and after with the changes highlighted. */
  function renderDiff(diff, heading) {
    const added = diff.added || [];
    const removed = diff.removed || [];
    const changed = diff.changed || [];
    const measure = (m) => `${m.label || ""}${m.title}`;
    if (!added.length && !removed.length && !changed.length) {
      return h("div", { class: "diff-block", id: "diff" }, h("h3", {}, heading), h("p", { class: "muted" }, "各条措施内容没有变化。"));
    }
    return h("div", { class: "diff-block", id: "diff" },
      h("h3", {}, heading),
      h("p", { class: "small", id: "diff-summary" }, `新增 ${added.length} 条 · 删除 ${removed.length} 条 · 修改 ${changed.length} 条`),
      added.length ? [h("h4", {}, "新增"), h("ul", { class: "diff-added" }, added.map((m) => h("li", {}, measure(m))))] : null,
      removed.length ? [h("h4", {}, "删除"), h("ul", { class: "diff-removed" }, removed.map((m) => h("li", {}, measure(m))))] : null,
      changed.length ? h("h4", {}, "修改") : null,
      changed.map((c) => h("div", { class: "diff-change", dataset: { from: c.from_number, to: c.to_number } },
        h("p", {}, h("strong", {}, `${c.after.label || ""}${c.title}`),
          c.from_number !== c.to_number ? h("span", { class: "muted small" }, `（原${c.before.label || c.from_number}）`) : null,
          h("span", { class: "muted small" }, `　改动：${(c.fields || []).map((f) => FIELD_NAMES[f] || f).join("、")}`)),
        (c.fields || []).map((field) => {
          const marked = highlight(fieldText(c.before, field), fieldText(c.after, field));
          return h("div", { class: "diff-field", dataset: { field } }, h("p", { class: "muted small" }, FIELD_NAMES[field] || field),
            h("div", { class: "diff-sides" },
              h("div", { class: "diff-side before" }, h("span", { class: "tag soft" }, "原文"), ...marked.before),
              h("div", { class: "diff-side after" }, h("span", { class: "tag" }, "新文"), ...marked.after)));
        }))));
  }

  function measuresTable(measures) {
    return h("div", {},
      h("h3", {}, `措施（${measures.length} 条）`),
      h("table", { id: "import-measure-table" }, h("thead", {}, h("tr", {}, h("th", {}, "序号"), h("th", {}, "措施"), h("th", {}, "牵头单位"), h("th", {}, "参与单位"))),
        h("tbody", {}, measures.map((m) => h("tr", { class: m.provision ? "provision" : "" },
          h("td", {}, m.label || m.number),
          h("td", {}, m.title, m.provision ? h("span", { class: "tag soft" }, "附则") : null),
          h("td", {}, (m.lead_units || []).join("、") || "—"),
          h("td", { class: "small" }, (m.participating_units || []).join("、") || "—"))))));
  }

  const library = {
    documents: [],
    retiring: null,
    async load() {
      try {
        const data = await api("GET", "/api/v1/documents?limit=200");
        library.documents = data.items || [];
        put($("library-list"), ...(library.documents.length ? library.documents.map(library.row)
          : [h("tr", {}, h("td", { colspan: 7, class: "muted" }, "暂无政策文件"))]));
      } catch (err) { toast(err.detail, "error"); }
    },
    row(d) {
      return h("tr", { dataset: { document: d.id } },
        h("td", {}, h("a", { href: `/policies/${encodeURIComponent(d.id)}` }, d.title), h("div", { class: "muted small" }, d.id)),
        h("td", { class: "doc-number" }, d.doc_number || "—"),
        h("td", {}, h("span", { class: `doc-level ${d.level}` }, d.level_label || levelLabel(d.level))),
        h("td", {}, h("span", { class: `doc-status ${d.status}` }, d.status_label || docStatusLabel(d.status))),
        h("td", {}, `第 ${d.version} 版`),
        h("td", {}, d.measure_count),
        h("td", { class: "row-actions" },
          h("button", { type: "button", class: "link", dataset: { action: "meta" }, onclick: () => library.editMeta(d) }, "修正信息"), " ",
          h("button", { type: "button", class: "link", dataset: { action: "import" }, onclick: () => library.openImport(d.id) }, "导入新版本"), " ",
          h("button", { type: "button", class: "link", dataset: { action: "versions" }, onclick: () => library.versions(d) }, "版本记录"), " ",
          d.status !== "repealed" ? h("button", { type: "button", class: "link", dataset: { action: "retire" }, onclick: () => library.askRetire(d) }, "废止") : null));
    },
    openImport(documentId) {
      $("import-card").hidden = false;
      $("import-heading").textContent = documentId ? `导入新版本：${documentId}` : "导入政策文件";
      $("import-id").value = documentId || "";
      $("import-text").value = "";
      $("import-result").hidden = true;
      showError("import-error", "");
      $("import-card").scrollIntoView({ behavior: "smooth" });
      $(documentId ? "import-text" : "import-id").focus();
    },
    body(withMeta) {
      const body = { document_id: $("import-id").value.trim(), text: $("import-text").value };
      return withMeta ? { ...body, ...readMeta("import") } : body;
    },
    async preview(withMeta) {
      showError("import-error", "");
      try {
        const doc = await api("POST", "/api/v1/admin/documents/preview", library.body(withMeta));
        fillMeta("import", doc);
        put($("import-carried"));
        if (!withMeta) library.carryOver(doc);
        put($("import-diff"), doc.diff ? renderDiff(doc.diff, `与现行第 ${doc.version - 1} 版相比`) : h("p", { class: "alert ok", id: "import-new" }, "这是一份新文件，导入后为第 1 版。"));
        put($("import-measures"), measuresTable(doc.measures || []));
        $("import-result").hidden = false;
        $("import-confirm").disabled = false;
      } catch (err) {
        showError("import-error", err.detail);
      }
    },
    /** Say which metadata the API kept from the current version (the text of the new one does not state it). */
    carryOver(doc) {
      const names = { doc_number: "文号", issuer: "发文机关", level: "层级" };
      const kept = (doc.inherited || []).filter((name) => name in names);
      if (kept.length) {
        put($("import-carried"), h("p", { class: "alert caveat small" },
          `正文中未写明的${kept.map((n) => names[n]).join("、")}已沿用现行第 ${doc.version - 1} 版，请核对。`));
      }
    },
    async confirm() {
      showError("import-error", "");
      $("import-confirm").disabled = true;
      try {
        const saved = await api("POST", "/api/v1/admin/documents", library.body(true));
        toast(`已导入：${saved.title}（第 ${saved.version} 版，${saved.measure_count} 条措施）`, "ok");
        $("import-card").hidden = true;
        await library.load();
      } catch (err) {
        showError("import-error", err.detail);
        $("import-confirm").disabled = false;
      }
    },
    editMeta(d) {
      library.editing = d.id;
      $("meta-card").hidden = false;
      $("meta-document").textContent = `${d.id} · 第 ${d.version} 版（修正最新版本的信息，不改变正文）`;
      fillMeta("meta", d);
      showError("meta-error", "");
      $("meta-card").scrollIntoView({ behavior: "smooth" });
    },
    async saveMeta() {
      showError("meta-error", "");
      try {
        const saved = await api("PATCH", `/api/v1/admin/documents/${encodeURIComponent(library.editing)}`, readMeta("meta"));
        toast(`已保存：${saved.title}`, "ok");
        $("meta-card").hidden = true;
        await library.load();
      } catch (err) { showError("meta-error", err.detail); }
    },
    async versions(d) {
      library.viewing = d.id;
      $("versions-card").hidden = false;
      $("versions-document").textContent = `${d.title}（${d.id}）`;
      put($("versions-diff"));
      showError("versions-error", "");
      try {
        const data = await api("GET", `/api/v1/documents/${encodeURIComponent(d.id)}/versions`);
        const items = data.items || [];
        put($("versions-list"), ...items.map((v) => h("tr", { dataset: { version: v.version } },
          h("td", {}, `第 ${v.version} 版`), h("td", {}, v.title), h("td", {}, v.doc_number || "—"),
          h("td", {}, docStatusLabel(v.status)), h("td", {}, v.measure_count), h("td", { class: "small muted" }, fmtTime(v.imported_at)))));
        const options = (selected) => items.map((v) => h("option", { value: v.version, selected: v.version === selected }, `第 ${v.version} 版`));
        const newest = items.length ? items[0].version : 1;
        put($("diff-from"), ...options(Math.max(1, newest - 1)));
        put($("diff-to"), ...options(newest));
        $("versions-compare").hidden = items.length < 2;
      } catch (err) { showError("versions-error", err.detail); }
      $("versions-card").scrollIntoView({ behavior: "smooth" });
    },
    async showDiff() {
      const from = $("diff-from").value;
      const to = $("diff-to").value;
      showError("versions-error", "");
      try {
        const diff = await api("GET", `/api/v1/documents/${encodeURIComponent(library.viewing)}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
        put($("versions-diff"), renderDiff(diff, `第 ${from} 版 → 第 ${to} 版`));
      } catch (err) { showError("versions-error", err.detail); }
    },
    askRetire(d) {
      library.retiring = d;
      $("retire-question").textContent = `确定废止《${d.title}》吗？废止后文件仍可在政策库查阅，但不再作为现行政策回答。`;
      $("retire-confirm").hidden = false;
      $("retire-yes").focus();
    },
    async retire() {
      const d = library.retiring;
      if (!d) return;
      try {
        const saved = await api("POST", `/api/v1/admin/documents/${encodeURIComponent(d.id)}/retire`, {});
        toast(`已废止：${saved.title}`, "ok");
        $("retire-confirm").hidden = true;
        library.retiring = null;
        await library.load();
      } catch (err) { toast(err.detail, "error"); }
    },
  };
  $("library-new").addEventListener("click", () => library.openImport(null));
  $("import-close").addEventListener("click", () => { $("import-card").hidden = true; });
  $("import-form").addEventListener("submit", (ev) => { ev.preventDefault(); library.preview(false); });
  for (const id of ["import-id", "import-text"]) {
    // The text or id changed after the preview: what is shown no longer describes it.
    $(id).addEventListener("input", () => { $("import-result").hidden = true; });
  }
  $("import-repreview").addEventListener("click", () => library.preview(true));
  $("import-confirm").addEventListener("click", library.confirm);
  $("meta-close").addEventListener("click", () => { $("meta-card").hidden = true; });
  $("meta-save").addEventListener("click", library.saveMeta);
  $("versions-close").addEventListener("click", () => { $("versions-card").hidden = true; });
  $("diff-show").addEventListener("click", library.showDiff);
  $("retire-yes").addEventListener("click", library.retire);
  $("retire-no").addEventListener("click", () => { $("retire-confirm").hidden = true; library.retiring = null; });
  const clauseErrors = (errors) =>
    h("ul", { class: "errors", id: "clause-errors" }, errors.map((e) => h("li", {}, e.line ? `第 ${e.line} 行：${e.message}` : e.message)));
  /** Number the textarea's lines in its gutter, marking the lines that have errors. */
  function renderGutter(errorLines) {
    const count = $("clauses-text").value.split("\n").length;
    const bad = new Set(errorLines || []);
    put($("clauses-gutter"), Array.from({ length: count }, (_, i) => h("span", { class: bad.has(i + 1) ? "bad" : null }, `${i + 1}\n`)));
    $("clauses-gutter").scrollTop = $("clauses-text").scrollTop;
  }
  async function validateClauses() {
    const box = $("clauses-result");
    if (!$("clauses-text").value.trim()) return;
    try {
      const result = await api("POST", "/api/v1/admin/clauses/validate", { text: $("clauses-text").value });
      renderGutter(result.errors.map((e) => e.line));
      put(box, result.errors.length ? clauseErrors(result.errors) : h("p", { class: "alert ok", id: "clauses-valid" }, `校验通过，共 ${result.clauses} 条条款。`));
    } catch (err) { put(box, h("p", { class: "alert error" }, err.detail)); }
  }
  $("clauses-form").addEventListener("submit", (ev) => { ev.preventDefault(); validateClauses(); });
  let validateTimer = null;
  $("clauses-text").addEventListener("input", () => {
    renderGutter();
    clearTimeout(validateTimer);
    validateTimer = setTimeout(validateClauses, 600);
  });
  $("clauses-text").addEventListener("scroll", () => { $("clauses-gutter").scrollTop = $("clauses-text").scrollTop; });

  /* Structured clause editor: writes the same YAML as the bundled clause files into the textarea. */
  const OPERATORS = ["==", "!=", "in", ">=", "<=", ">", "<"];
  const YAML_PLAIN = /^[^\s\-?:,[\]{}#&*!|>'"%@`][^\n]*$/;
  const YAML_UNSAFE = /: | #|:$|\s$|[,[\]{}]/;
  const YAML_RESERVED = /^(true|false|yes|no|on|off|null|~|[-+]?[0-9.][0-9._eE+-]*)$/i;
  /** A YAML scalar: plain when it reads back as the same text, double-quoted (JSON) otherwise. */
  const yamlText = (text) => (YAML_PLAIN.test(text) && !YAML_UNSAFE.test(text) && !YAML_RESERVED.test(text) ? text : JSON.stringify(text));
  const builder = {
    facts: [],
    async load() {
      if (builder.facts.length) return;
      try {
        builder.facts = (await api("GET", "/api/v1/facts")).items || [];
        if (!$("cb-conditions").children.length) builder.addRow();
      } catch (err) { toast(err.detail, "error"); }
    },
    fact(name) { return builder.facts.find((f) => f.name === name); },
    addRow() {
      const fact = h("select", { class: "cb-fact", "aria-label": "事实" },
        builder.facts.map((f) => h("option", { value: f.name }, `${f.label}（${f.name}）`)));
      const op = h("select", { class: "cb-op", "aria-label": "运算符" }, OPERATORS.map((o) => h("option", { value: o }, o)));
      const value = h("span", { class: "cb-value" });
      const row = h("div", { class: "condition-row" }, fact, op, value,
        h("button", { type: "button", class: "link", onclick: () => row.remove() }, "删除"));
      const refresh = () => builder.renderValue(row);
      fact.addEventListener("change", refresh);
      op.addEventListener("change", refresh);
      $("cb-conditions").append(row);
      refresh();
    },
    /** The value input that fits the row's fact and operator. */
    renderValue(row) {
      const fact = builder.fact(row.querySelector(".cb-fact").value);
      const many = row.querySelector(".cb-op").value === "in";
      let input;
      if (!fact) input = h("input", { class: "cb-input", "aria-label": "值" });
      else if (fact.type === "bool") input = h("select", { class: "cb-input", "aria-label": "值" }, h("option", { value: "true" }, "是"), h("option", { value: "false" }, "否"));
      else if (fact.type === "number") input = h("input", { class: "cb-input", type: many ? "text" : "number", step: "any", "aria-label": "值", placeholder: many ? "以逗号分隔" : null });
      else input = h("select", { class: "cb-input", multiple: many, "aria-label": "值" }, fact.options.map((o) => h("option", { value: String(o.value) }, o.label)));
      put(row.querySelector(".cb-value"), input);
    },
    /** One condition row as a YAML flow mapping, or an error message. */
    conditionYaml(row, index) {
      const name = row.querySelector(".cb-fact").value;
      const op = row.querySelector(".cb-op").value;
      const fact = builder.fact(name);
      const input = row.querySelector(".cb-input");
      const many = op === "in";
      let values;
      if (fact && fact.type === "number") {
        values = input.value.split(many ? /[,，、]/ : /\n/).map((v) => v.trim()).filter((v) => v !== "");
        if (!values.length || values.some((v) => !Number.isFinite(Number(v)))) return { error: `第 ${index} 个条件须填写数值。` };
        values = values.map((v) => String(Number(v)));
      } else if (fact && fact.type === "bool") {
        values = [input.value];
      } else if (input.tagName === "SELECT") {
        values = Array.from(input.selectedOptions).map((o) => yamlText(o.value));
        if (!values.length) return { error: `第 ${index} 个条件须选择取值。` };
      } else {
        values = input.value.split(many ? /[,，、]/ : /\n/).map((v) => v.trim()).filter((v) => v !== "").map(yamlText);
        if (!values.length) return { error: `第 ${index} 个条件须填写取值。` };
      }
      const value = many ? `[${values.join(", ")}]` : values[0];
      return { yaml: `{fact: ${name}, op: ${op === "in" ? "in" : JSON.stringify(op)}, value: ${value}}` };
    },
    /** The clause file text for the form, or null after showing what is missing. */
    yaml() {
      const error = (message) => { $("cb-error").textContent = message; $("cb-error").hidden = false; return null; };
      $("cb-error").hidden = true;
      const field = (id) => $(id).value.trim();
      const measure = field("cb-measure");
      if (!measure.includes("#")) return error("措施编号须为“文件编号#序号”，如 sichuan-hitech-zones-draft#7。");
      for (const [id, label] of [["cb-id", "条款编号"], ["cb-title", "标题"], ["cb-benefit", "支持内容"], ["cb-lead-unit", "牵头单位"], ["cb-source", "原文句子"]]) {
        if (!field(id)) return error(`请填写${label}。`);
      }
      const rows = Array.from($("cb-conditions").querySelectorAll(".condition-row"));
      if (!rows.length) return error("请至少添加一个条件。");
      const conditions = [];
      for (const [i, row] of rows.entries()) {
        const result = builder.conditionYaml(row, i + 1);
        if (result.error) return error(result.error);
        conditions.push(`        - ${result.yaml}`);
      }
      const lines = [
        `document: ${yamlText(measure.slice(0, measure.lastIndexOf("#")))}`,
        "clauses:",
        `  - id: ${yamlText(field("cb-id"))}`,
        `    measure_id: ${yamlText(measure)}`,
        `    title: ${yamlText(field("cb-title"))}`,
        `    benefit: ${yamlText(field("cb-benefit"))}`,
      ];
      if (field("cb-amount")) lines.push(`    amount: ${yamlText(field("cb-amount"))}`);
      if (field("cb-window")) lines.push(`    application_window: ${yamlText(field("cb-window"))}`);
      lines.push(
        `    lead_unit: ${yamlText(field("cb-lead-unit"))}`,
        `    source: ${yamlText(field("cb-source"))}`,
        "    condition:",
        `      ${$("cb-combine").value}:`,
        ...conditions,
      );
      return `${lines.join("\n")}\n`;
    },
  };
  $("cb-add-condition").addEventListener("click", () => builder.addRow());
  $("clause-builder").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = builder.yaml();
    if (text === null) return;
    $("clauses-text").value = text;
    $("clauses-text").dispatchEvent(new Event("input"));
  });
  $("clauses-publish").addEventListener("click", async () => {
    const box = $("clauses-result");
    try {
      const result = await api("POST", "/api/v1/admin/clauses", { text: $("clauses-text").value });
      put(box, h("p", { class: "alert ok", id: "clauses-published" }, `已发布 ${result.total} 条条款：${result.items.map((c) => c.id).join("、")}。`));
    } catch (err) {
      const errors = (err.body && err.body.errors) || [];
      put(box, h("p", { class: "alert error" }, err.detail), errors.length ? clauseErrors(errors) : null);
    }
  });
  $("draft-propose").addEventListener("click", async () => {
    const box = $("draft-result");
    try {
      const drafts = await api("POST", "/api/v1/admin/clauses/drafts", { measure_id: $("draft-measure").value.trim() });
      if (!drafts.items.length) { put(box, h("p", { class: "muted" }, "这条措施中没有找到给予支持的句子，请手工编写。")); return; }
      $("clauses-text").value = drafts.items.map((d) => d.text).join("\n");
      put(box, h("ul", { class: "drafts" }, drafts.items.map((d) => h("li", {},
        h("mark", {}, d.source),
        d.unresolved.length ? h("p", { class: "alert caveat" }, `尚无对应事实，请新增或改写：${d.unresolved.join("；")}`) : null))),
        h("p", { class: "muted small" }, "草稿已填入下方，请核对修改后再发布。"));
      validateClauses();
    } catch (err) { put(box, h("p", { class: "alert error" }, err.detail)); }
  });
  $("fact-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const label = $("fact-label").value.trim();
    const fact = {
      name: $("fact-name").value.trim(), type: $("fact-type").value,
      label: { zh: label, en: $("fact-name").value.trim() },
      question: { zh: $("fact-question").value.trim(), en: $("fact-question-en").value.trim() },
    };
    if ($("fact-help").value.trim()) fact.help = { zh: $("fact-help").value.trim(), en: $("fact-help").value.trim() };
    if ($("fact-unit").value.trim()) fact.unit = $("fact-unit").value.trim();
    try {
      const saved = await api("POST", "/api/v1/admin/facts", fact);
      put($("fact-result"), h("p", { class: "alert ok" }, `已新增事实 ${saved.name}（${saved.label}），条款中可以使用了。`));
    } catch (err) { put($("fact-result"), h("p", { class: "alert error" }, err.detail)); }
  });

  /* ---------- accounts ---------- */
  const ROLE_LABELS = { admin: "管理员", staff: "工作人员", enterprise: "企业用户" };
  const users = {
    async load() {
      try {
        const data = await api("GET", "/api/v1/admin/users?limit=200");
        put($("users-list"), ...(data.items || []).filter((u) => u.username).map((u) => h("tr", { dataset: { username: u.username } },
          h("td", {}, u.username), h("td", {}, u.display_name || "—"), h("td", {}, ROLE_LABELS[u.role] || u.role),
          h("td", {}, h("span", { class: `badge ${u.is_active ? "eligible" : "ineligible"}` }, u.is_active ? "正常" : "已停用")),
          h("td", {},
            h("button", { type: "button", class: "link", dataset: { action: u.is_active ? "disable" : "enable" },
              onclick: () => users.act(u, u.is_active ? "disable" : "enable") }, u.is_active ? "停用" : "启用"),
            " ", h("button", { type: "button", class: "link", dataset: { action: "revoke" }, onclick: () => users.act(u, "revoke-tokens") }, "注销全部登录"),
            " ", h("button", { type: "button", class: "link", dataset: { action: "reset" }, onclick: () => users.openReset(u) }, "重置密码")))));
        $("users-total").textContent = `共 ${data.total} 个账号`;
      } catch (err) { toast(err.detail, "error"); }
    },
    async act(u, action) {
      const done = { disable: "已停用", enable: "已启用", "revoke-tokens": "已注销全部登录：" };
      try {
        await api("POST", `/api/v1/admin/users/${encodeURIComponent(u.username)}/${action}`, {});
        toast(`${done[action]}${action === "revoke-tokens" ? "" : "账号 "}${u.username}`, "ok");
        await users.load();
      } catch (err) { toast(err.detail, "error"); }
    },
    openReset(u) {
      $("reset-card").hidden = false;
      $("reset-heading").textContent = `重置密码：${u.username}`;
      $("reset-username").value = u.username;
      $("reset-password").value = "";
      showError("reset-error", "");
      $("reset-password").focus();
    },
    async reset() {
      const username = $("reset-username").value;
      try {
        await api("POST", `/api/v1/admin/users/${encodeURIComponent(username)}/password`, { password: $("reset-password").value });
        $("reset-card").hidden = true;
        toast(`已重置 ${username} 的密码，其原有登录均已失效`, "ok");
      } catch (err) { showError("reset-error", err.detail); }
    },
    async create() {
      const body = {
        username: $("user-username").value.trim(),
        display_name: $("user-display").value.trim() || null,
        role: $("user-role").value,
        password: $("user-password").value,
      };
      try {
        await api("POST", "/api/v1/admin/users", body);
        showError("user-error", "");
        $("user-form").reset();
        toast(`已新建账号 ${body.username}`, "ok");
        await users.load();
      } catch (err) { showError("user-error", err.detail); }
    },
  };
  $("users-refresh").addEventListener("click", users.load);
  $("reset-close").addEventListener("click", () => { $("reset-card").hidden = true; });
  $("reset-form").addEventListener("submit", (ev) => { ev.preventDefault(); users.reset(); });
  $("user-form").addEventListener("submit", (ev) => { ev.preventDefault(); users.create(); });

  showTab("faq");
})();
