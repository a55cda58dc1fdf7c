/* The reports page: figures by queue and category as tables and plain SVG bar charts, and the CSV link. */
"use strict";

(() => {
  const { api, h, put } = ZD;
  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  const SCORES = ["1", "2", "3", "4", "5"];
  const SCORE_NAMES = { 1: "非常不满意", 2: "不满意", 3: "基本满意", 4: "满意", 5: "非常满意" };

  const pad = (n) => String(n).padStart(2, "0");
  const isoDay = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const minutes = (m) => (m === null || m === undefined ? "—" : m >= 60 ? `${(m / 60).toFixed(1)} 小时` : `${Math.round(m)} 分钟`);
  const ratio = (r) => (r === null || r === undefined ? "—" : `${(r * 100).toFixed(1)}%`);

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }

  /** A horizontal bar chart: one bar per [label, value]; `format` writes the value beside its bar. */
  function barChart(title, rows, format, kind) {
    const width = 420, rowHeight = 22, labelWidth = 130, valueWidth = 80;
    const max = Math.max(1, ...rows.map(([, v]) => Number(v) || 0));
    const height = Math.max(rowHeight, rows.length * rowHeight) + 4;
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title });
    rows.forEach(([label, value], i) => {
      const y = i * rowHeight + 2;
      const length = ((Number(value) || 0) / max) * (width - labelWidth - valueWidth);
      chart.append(
        svg("text", { x: 0, y: y + 14 }, label),
        svg("rect", { class: `bar ${kind || ""}`, x: labelWidth, y: y + 3, width: Math.max(length, 0), height: rowHeight - 8, rx: 2 }),
        svg("text", { x: labelWidth + length + 4, y: y + 14 }, format(value)));
    });
    return h("figure", {}, h("figcaption", {}, title), chart);
  }

  function table(node, rows) {
    put(node,
      h("thead", {}, h("tr", {}, ["名称", "受理", "办结", "首次响应（平均/中位）", "办结用时（平均/中位）", "按时办结率",
        ...SCORES.map((s) => `${s} ${SCORE_NAMES[s]}`), "整改发起", "整改未完成", "整改逾期"].map((c) => h("th", {}, c)))),
      h("tbody", {}, rows.map((r) => h("tr", { dataset: { key: r.key } },
        h("td", {}, r.name), h("td", {}, r.opened), h("td", {}, r.resolved),
        h("td", {}, `${minutes(r.first_response_minutes.avg)} / ${minutes(r.first_response_minutes.median)}`),
        h("td", {}, `${minutes(r.resolution_minutes.avg)} / ${minutes(r.resolution_minutes.median)}`),
        h("td", {}, ratio(r.sla_met_ratio)),
        SCORES.map((s) => h("td", {}, r.ratings[s] || 0)),
        h("td", {}, r.rectifications), h("td", {}, r.rectifications_open),
        h("td", { class: r.rectifications_overdue ? "overdue" : "" }, r.rectifications_overdue)))));
  }

  async function load() {
    const from = $("report-from").value, to = $("report-to").value;
    const query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    $("report-csv").href = `/api/v1/reports/tickets.csv?${query}`;
    $("report-error").hidden = true;
    try {
      const report = await api("GET", `/api/v1/reports/tickets?${query}`);
      const queues = report.queues;
      put($("report-charts"),
        barChart("受理量（按队列）", queues.map((q) => [q.name, q.opened]), String),
        barChart("按时办结率（按队列）", queues.map((q) => [q.name, q.sla_met_ratio || 0]), ratio, "alt"),
        barChart("平均办结用时（工作时间，按队列）", queues.map((q) => [q.name, q.resolution_minutes.avg || 0]), minutes),
        barChart("好差评分布（全部）", SCORES.map((s) => [`${s} ${SCORE_NAMES[s]}`, report.total.ratings[s] || 0]), String, "bad"));
      table($("report-queues"), [...queues, report.total]);
      table($("report-categories"), report.categories);
    } catch (err) {
      $("report-error").textContent = err.detail;
      $("report-error").hidden = false;
      put($("report-charts"));
    }
  }

  const today = new Date();
  $("report-from").value = isoDay(new Date(today.getFullYear(), today.getMonth(), 1));
  $("report-to").value = isoDay(today);
  $("report-form").addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  load();
})();
