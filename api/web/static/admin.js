/* The admin pages: FAQ entries, unanswered questions, queues and routing, policy import. */
"use strict";

(() => {
  const { api, h, put, toast, fmtTime, categoryLabel } = ZD;
  const $ = (id) => document.getElementById(id);
  const loaded = new Set();

  function showTab(name) {
    document.querySelectorAll("[data-admin-tab]").forEach((b) => b.classList.toggle("active", b.dataset.adminTab === name));
    document.querySelectorAll("[data-admin-panel]").forEach((p) => { p.hidden = p.dataset.adminPanel !== name; });
    if (!loaded.has(name)) {
      loaded.add(name);
      ({ faq: faq.load, unanswered: unanswered.load, queues: queues.load, policy: () => {} })[name]();
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

  /* ---------- unanswered ---------- */
  const unanswered = {
    async load() {
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
  };
  $("unanswered-refresh").addEventListener("click", unanswered.load);

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
        h("td", {}, h("strong", {}, q.name), h("div", { class: "muted small" }, q.key)),
        h("td", {}, q.department),
        h("td", {}, q.sla_hours),
        h("td", {},
          h("div", { class: "answered" }, members.map((m) => h("span", { class: "chip" }, m.display_name || m.username,
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

  /* ---------- policy import and clause validation ---------- */
  let parsed = null;
  $("policy-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const box = $("policy-result");
    parsed = null;
    $("policy-save").disabled = true;
    try {
      const doc = await api("POST", "/api/v1/admin/documents/preview", { document_id: $("policy-id").value.trim(), text: $("policy-text").value });
      parsed = doc;
      $("policy-save").disabled = false;
      put(box, 
        h("p", {}, h("strong", {}, doc.title), `　共 ${doc.measures.length} 条措施（编号方式：${doc.numbering || "—"}）`),
        h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "序号"), h("th", {}, "措施"), h("th", {}, "牵头单位"), h("th", {}, "参与单位"))),
          h("tbody", {}, doc.measures.map((m) => h("tr", {}, h("td", {}, m.label || m.number), h("td", {}, m.title),
            h("td", {}, (m.lead_units || []).join("、") || "—"), h("td", { class: "small" }, (m.participating_units || []).join("、") || "—"))))));
    } catch (err) {
      put(box, h("p", { class: "alert error" }, err.detail));
    }
  });
  $("policy-save").addEventListener("click", async () => {
    if (!parsed) return;
    try {
      const saved = await api("POST", "/api/v1/admin/documents", { document_id: $("policy-id").value.trim(), text: $("policy-text").value });
      toast(`已保存：${saved.title}（${saved.measure_count} 条）`, "ok");
      $("policy-save").disabled = true;
    } catch (err) { toast(err.detail, "error"); }
  });
  $("clauses-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const box = $("clauses-result");
    try {
      const result = await api("POST", "/api/v1/admin/clauses/validate", { text: $("clauses-text").value });
      put(box, result.errors.length
        ? h("ul", { class: "errors", id: "clause-errors" }, result.errors.map((e) => h("li", {}, e.line ? `第 ${e.line} 行：${e.message}` : e.message)))
        : h("p", { class: "alert ok" }, `校验通过，共 ${result.clauses} 条条款。`));
    } catch (err) { put(box, h("p", { class: "alert error" }, err.detail)); }
  });

  showTab("faq");
})();
