/* Admin panels of the service window: 办事指南 per category, and 好差评 with their 整改. */
"use strict";

(() => {
  const { api, h, put, toast, fmtTime } = ZD;
  const $ = (id) => document.getElementById(id);
  const loaded = new Set();

  /* ---------- 办事指南 ---------- */
  const guides = {
    items: [],
    current: null,
    async load() {
      try {
        guides.items = await api("GET", "/api/v1/categories").then((d) => d.items || []);
        put($("guide-list"), ...guides.items.map((c) => h("tr", { dataset: { category: c.category } },
          h("td", {}, h("button", { type: "button", class: "link", onclick: () => guides.edit(c) }, c.name)),
          h("td", {}, c.guide ? `${c.guide.promised_days} / ${c.guide.statutory_days}` : "未设置"),
          h("td", { class: "small" }, c.guide ? `${c.guide.materials.length} 项` : "—"))));
      } catch (err) { toast(err.detail, "error"); }
    },
    edit(c) {
      guides.current = c.category;
      const g = c.guide || { materials: [], promised_days: 5, statutory_days: 15, fee: "", location: "", hours: "" };
      $("guide-title").textContent = `编辑：${c.name}`;
      $("guide-materials").value = g.materials.join("\n");
      $("guide-promised").value = g.promised_days;
      $("guide-statutory").value = g.statutory_days;
      $("guide-fee").value = g.fee === "不收费" ? "" : g.fee;
      $("guide-location").value = g.location;
      $("guide-hours").value = g.hours;
      $("guide-form").hidden = false;
      $("guide-hint").hidden = true;
    },
    async save(ev) {
      ev.preventDefault();
      const body = {
        materials: $("guide-materials").value.split("\n").map((s) => s.trim()).filter(Boolean),
        promised_days: Number($("guide-promised").value),
        statutory_days: Number($("guide-statutory").value),
        fee: $("guide-fee").value.trim(),
        location: $("guide-location").value.trim(),
        hours: $("guide-hours").value.trim(),
      };
      try {
        await api("PUT", `/api/v1/admin/categories/${encodeURIComponent(guides.current)}/guide`, body);
        toast("办事指南已保存（新工单按新的承诺时限计时）", "ok");
        await guides.load();
      } catch (err) { toast(err.detail, "error"); }
    },
  };
  $("guide-form").addEventListener("submit", guides.save);

  /* ---------- 好差评 and 整改 ---------- */
  const ratings = {
    async load() {
      const filter = $("ratings-filter").value;
      try {
        const data = await api("GET", `/api/v1/ratings?limit=200${filter ? `&filter=${filter}` : ""}`);
        const dist = data.distribution || {};
        put($("ratings-summary"), `共 ${data.total} 条　`, ["5", "4", "3", "2", "1"].map((s) => `${ZD.ratingLabel(Number(s))} ${dist[s] || 0}　`).join(""));
        put($("ratings-list"), ...((data.items || []).length ? data.items.map((r) => h("tr", { dataset: { number: r.number } },
          h("td", {}, h("a", { href: `/staff#${r.number}` }, r.number), h("div", { class: "small muted" }, `${r.subject} · ${r.queue_name}`)),
          h("td", {}, `${"★".repeat(r.score)}${"☆".repeat(5 - r.score)} ${r.level}`),
          h("td", { class: "small" }, r.comment || "—"),
          h("td", { class: "small" }, r.rectification ? ZD.rectificationText(r.rectification) : "—"),
          h("td", { class: "small muted" }, fmtTime(r.created_at))))
          : [h("tr", {}, h("td", { colspan: 5, class: "muted" }, "暂无评价"))]));
      } catch (err) { toast(err.detail, "error"); }
    },
  };
  $("ratings-filter").addEventListener("change", ratings.load);

  const panels = { guides: guides.load, ratings: ratings.load };
  document.querySelectorAll("[data-admin-tab]").forEach((b) => b.addEventListener("click", () => {
    const name = b.dataset.adminTab;
    if (panels[name] && !loaded.has(name)) { loaded.add(name); panels[name](); }
  }));
})();
