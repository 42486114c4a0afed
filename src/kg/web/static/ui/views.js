// Other views of a SELECT result beside its table: a bar chart when one column names things and
// others are numbers, a timeline when a column holds dates, a map when rows carry coordinates.
// Plain SVG built here; colours and type come from query.css classes.
(function () {
  "use strict";

  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMERIC = new Set(["integer", "decimal", "double", "float", "long", "int", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt",
    "unsignedLong", "unsignedShort", "unsignedByte"].map((t) => XSD + t));
  const DATES = new Set(["date", "dateTime", "gYear", "gYearMonth", "dateTimeStamp"].map((t) => XSD + t));
  const SVG = "http://www.w3.org/2000/svg";
  const MOST = 300;  // rows drawn in a chart; the table has them all
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const DAY = 86400000;

  function el(tag, attributes, parent, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attributes || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  const isNumber = (t) => t && t.type === "literal" && NUMERIC.has(t.datatype) && Number.isFinite(Number(t.value));
  const isDate = (t) => t && t.type === "literal" && DATES.has(t.datatype) && !Number.isNaN(timeOf(t.value));

  // Milliseconds since 1970 for xsd dates ("1917-11-07", "1917-11-07T10:00:00", "1917").
  function timeOf(value) {
    const m = /^(-?\d{4,})(?:-(\d\d))?(?:-(\d\d))?(?:T(\d\d):(\d\d)(?::(\d\d))?)?/.exec(value);
    if (!m) return NaN;
    return Date.UTC(Number(m[1]), Number(m[2] || 1) - 1, Number(m[3] || 1), Number(m[4] || 0), Number(m[5] || 0), Number(m[6] || 0));
  }

  function columnsWhere(columns, rows, test) {
    return columns.filter((c) => {
      const bound = rows.map((r) => r[c]).filter(Boolean);
      return bound.length > 0 && bound.every(test);
    });
  }

  // Where a row is on a map: ?lat/?long numbers, or a WKT point.
  function coordinatesOf(columns, rows, wktLiteral) {
    const wkt = columnsWhere(columns, rows, (t) => t.type === "literal" && t.datatype === wktLiteral)[0];
    if (wkt) {
      return (row) => {
        const m = row[wkt] && /POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)/i.exec(row[wkt].value);
        return m ? { long: Number(m[1]), lat: Number(m[2]) } : null;
      };
    }
    // WGS84 coordinates are often plain strings ("59.9464"): a number by its look is enough here.
    const numeric = columnsWhere(columns, rows, (t) => t.type === "literal" && t.value.trim() !== "" && Number.isFinite(Number(t.value)));
    const lat = numeric.find((c) => /^lat/i.test(c));
    const long = numeric.find((c) => /^(long|lon|lng)/i.test(c));
    if (!lat || !long) return null;
    return (row) => (row[lat] && row[long] ? { lat: Number(row[lat].value), long: Number(row[long].value) } : null);
  }

  class Views {
    // ``helpers``: {href(iri) -> link or null, name(term) -> text, coordinates: whether the graph
    // has any, wktLiteral: the datatype IRI of WKT points}
    constructor(columns, rows, helpers) {
      this.columns = columns;
      this.rows = rows;
      this.helpers = helpers;
      this.numbers = columnsWhere(columns, rows, isNumber);
      this.dates = columnsWhere(columns, rows, isDate);
      this.names = columns.filter((c) => !this.numbers.includes(c) && !this.dates.includes(c) &&
        rows.some((r) => r[c]));
      this.place = coordinatesOf(columns, rows, helpers.wktLiteral);
    }

    // [name, title, draw] of each view that fits the result.
    available() {
      const found = [];
      if (this.names.length && this.numbers.length) found.push(["chart", "Bar chart", () => this.chart()]);
      if (this.dates.length) found.push(["timeline", "Timeline", () => this.timeline()]);
      if (this.place) found.push(["map", "Map", () => this.map()]);
      return found;
    }

    // Why there is no map, when the result names places.
    mapNote() {
      if (this.place) return "";
      const places = this.rows.some((r) => Object.values(r).some((t) => t && t.type === "uri" && /\/place\//.test(t.value)));
      if (!places) return "";
      return this.helpers.coordinates
        ? "No map: this result has places but no coordinates. Ask for ?lat and ?long (geo:lat, geo:long) or a geo:asWKT point."
        : "No map: the places of this graph have no coordinates yet, and no outline or tiles are fetched from elsewhere.";
    }

    label(row) {
      const term = row[this.names[0]];
      return term ? this.helpers.name(term) : "";
    }

    // An SVG <a> to the row's first IRI, when it may be followed.
    linked(row, parent) {
      const term = this.names.map((c) => row[c]).find((t) => t && t.type === "uri");
      const href = term && this.helpers.href(term.value);
      if (!href) return el("g", {}, parent);
      return el("a", { href }, parent);
    }

    frame(width, height, label) {
      const wrap = document.createElement("div");
      wrap.className = "qp-chart-wrap";
      const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, class: "qp-chart", role: "img", "aria-label": label });
      wrap.appendChild(svg);
      return { wrap, svg };
    }

    chart() {
      const rows = this.rows.slice(0, MOST);
      const series = this.numbers.slice(0, 4);
      const bar = 14, gap = 8, left = 260, width = 960, top = series.length > 1 ? 28 : 8;
      const group = series.length * bar + gap;
      const values = rows.flatMap((r) => series.map((c) => (r[c] ? Number(r[c].value) : 0)));
      const low = Math.min(0, ...values), high = Math.max(0, ...values) || 1;
      const x = (v) => left + ((v - low) / (high - low)) * (width - left - 60);
      const { wrap, svg } = this.frame(width, top + rows.length * group + 24, `Bar chart of ${series.map((c) => "?" + c).join(", ")}`);
      series.forEach((c, i) => {
        if (series.length < 2) return;
        el("rect", { x: left + i * 140, y: 6, width: 12, height: 12, class: `qp-series-${i}` }, svg);
        el("text", { x: left + i * 140 + 16, y: 16, class: "qp-chart-text" }, svg, "?" + c);
      });
      el("line", { x1: x(0), x2: x(0), y1: top - 4, y2: top + rows.length * group, class: "qp-axis" }, svg);
      rows.forEach((row, n) => {
        const y = top + n * group;
        const g = el("g", { class: "qp-chart-row" }, svg);
        const name = this.label(row);
        const a = this.linked(row, g);
        el("text", { x: left - 8, y: y + group / 2, class: "qp-chart-label" }, a, name.length > 40 ? name.slice(0, 39) + "…" : name);
        el("title", {}, a, name);
        series.forEach((c, i) => {
          if (!row[c]) return;
          const v = Number(row[c].value);
          const rect = el("rect", { x: Math.min(x(0), x(v)), y: y + i * bar, width: Math.max(1, Math.abs(x(v) - x(0))),
            height: bar - 2, class: `qp-bar qp-series-${i}` }, g);
          el("title", {}, rect, `${name}: ?${c} = ${row[c].value}`);
          el("text", { x: Math.max(x(0), x(v)) + 4, y: y + i * bar + bar - 4, class: "qp-chart-value" }, g, row[c].value);
        });
      });
      return wrap;
    }

    timeline() {
      const [from, to] = this.dates;
      const rows = this.rows.filter((r) => r[from]).slice(0, MOST)
        .map((row) => {
          const start = timeOf(row[from].value);
          const end = to && row[to] ? timeOf(row[to].value) : start;
          return { row, start, end: Math.max(start, end) };
        })
        .sort((a, b) => a.start - b.start || a.end - b.end);
      const low = Math.min(...rows.map((r) => r.start)), high = Math.max(...rows.map((r) => r.end));
      const span = Math.max(high - low, DAY);
      const left = 330, width = 1000, row = 22, axis = 40;
      const x = (t) => left + 10 + ((t - low) / span) * (width - left - 30);
      const { wrap, svg } = this.frame(width, axis + rows.length * row + 8,
        `Timeline of ?${from}${to ? " to ?" + to : ""}`);
      const grid = el("g", { class: "qp-grid" }, svg);
      for (const [t, text] of ticks(low, low + span)) {
        el("line", { x1: x(t), x2: x(t), y1: axis - 6, y2: axis + rows.length * row, class: "qp-tick" }, grid);
        el("text", { x: x(t), y: axis - 12, class: "qp-tick-text" }, grid, text);
      }
      rows.forEach(({ row: r, start, end }, n) => {
        const y = axis + n * row;
        const g = this.linked(r, el("g", { class: "qp-chart-row" }, svg));
        const name = this.label(r) || r[from].value;
        el("text", { x: left - 8, y: y + row / 2 + 4, class: "qp-chart-label" }, g, name.length > 48 ? name.slice(0, 47) + "…" : name);
        const when = r[from].value + (to && r[to] && r[to].value !== r[from].value ? " – " + r[to].value : "");
        if (end - start >= DAY) {
          el("rect", { x: x(start), y: y + 5, width: Math.max(3, x(end) - x(start)), height: row - 10, class: "qp-span" }, g);
        } else {
          el("circle", { cx: x(start), cy: y + row / 2, r: 5, class: "qp-point" }, g);
        }
        el("title", {}, g, `${name}\n${when}`);
      });
      return wrap;
    }

    map() {
      const points = this.rows.slice(0, MOST).map((row) => ({ row, at: this.place(row) }))
        .filter((p) => p.at && Math.abs(p.at.lat) <= 90 && Math.abs(p.at.long) <= 180);
      const lats = points.map((p) => p.at.lat), longs = points.map((p) => p.at.long);
      // Equirectangular, with longitude shrunk by the cosine of the middle latitude; the box
      // around the points is padded and widened to a landscape shape.
      const squeeze = Math.cos(((Math.min(...lats) + Math.max(...lats)) / 2) * Math.PI / 180);
      let tall = Math.max(Math.max(...lats) - Math.min(...lats), 0.01);
      let wide = Math.max((Math.max(...longs) - Math.min(...longs)) * squeeze, 0.01);
      if (wide < tall * 1.6) wide = tall * 1.6; else tall = Math.max(tall, wide / 1.6);
      tall *= 1.3; wide *= 1.3;
      const middle = [(Math.min(...lats) + Math.max(...lats)) / 2, (Math.min(...longs) + Math.max(...longs)) / 2];
      const south = middle[0] - tall / 2, north = middle[0] + tall / 2;
      const west = middle[1] - wide / squeeze / 2, east = middle[1] + wide / squeeze / 2;
      const width = 960, inner = width - 80;
      const scale = Math.min(inner / ((east - west) * squeeze), 560 / (north - south));
      const height = (north - south) * scale + 60;
      const x = (long) => 40 + (long - west) * squeeze * scale;
      const y = (lat) => 30 + (north - lat) * scale;
      const { wrap, svg } = this.frame(width, height, "Map of the result's places by longitude and latitude");
      const step = niceStep(Math.max(north - south, east - west) / 5);
      const grid = el("g", { class: "qp-grid" }, svg);
      for (let lat = Math.ceil(south / step) * step; lat <= north; lat += step) {
        el("line", { x1: x(west), x2: x(east), y1: y(lat), y2: y(lat), class: "qp-tick" }, grid);
        el("text", { x: x(west) + 2, y: y(lat) - 3, class: "qp-tick-text qp-start" }, grid, `${+lat.toFixed(2)}°`);
      }
      for (let long = Math.ceil(west / step) * step; long <= east; long += step) {
        el("line", { x1: x(long), x2: x(long), y1: y(north), y2: y(south), class: "qp-tick" }, grid);
        el("text", { x: x(long), y: y(south) + 14, class: "qp-tick-text" }, grid, `${+long.toFixed(2)}°`);
      }
      for (const { row, at } of points) {
        const g = this.linked(row, el("g", { class: "qp-chart-row" }, svg));
        el("circle", { cx: x(at.long), cy: y(at.lat), r: 5, class: "qp-point" }, g);
        const name = this.label(row);
        el("text", { x: x(at.long) + 8, y: y(at.lat) + 4, class: "qp-map-label" }, g, name);
        el("title", {}, g, `${name}\n${at.lat}, ${at.long}`);
      }
      const note = document.createElement("p");
      note.className = "qp-note";
      note.textContent = "Points by longitude and latitude on a grid of degrees; no coastline or tiles are drawn, " +
        "since the page fetches nothing from another host.";
      wrap.appendChild(note);
      return wrap;
    }
  }

  function niceStep(raw) {
    const power = 10 ** Math.floor(Math.log10(raw || 1));
    return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) || power * 10;
  }

  // Axis ticks between two times: days, months or years, whichever gives a handful.
  function ticks(low, high) {
    const out = [];
    const days = (high - low) / DAY;
    const first = new Date(low);
    if (days <= 45) {
      const step = days <= 10 ? 1 : 7;
      for (let t = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate()); t <= high; t += step * DAY) {
        const d = new Date(t);
        if (t >= low) out.push([t, `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`]);
      }
    } else if (days <= 3 * 366) {
      const step = days <= 400 ? 1 : 3;
      for (let y = first.getUTCFullYear(), m = first.getUTCMonth() + 1; ; m += step) {
        const t = Date.UTC(y, m, 1);
        if (t > high) break;
        const d = new Date(t);
        out.push([t, d.getUTCMonth() === 0 || out.length === 0 ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}` : MONTHS[d.getUTCMonth()]]);
      }
    } else {
      const step = niceStep(days / 365 / 8);
      for (let y = Math.ceil(first.getUTCFullYear() / step) * step; Date.UTC(y, 0, 1) <= high; y += step) {
        out.push([Date.UTC(y, 0, 1), String(y)]);
      }
    }
    return out;
  }

  // The table with a bar of views above it; the other views are drawn when first chosen.
  function withViews(table, columns, rows, helpers) {
    const views = new Views(columns, rows, helpers);
    const found = views.available();
    const note = views.mapNote();
    if (!found.length && !note) return table;
    const box = document.createElement("div");
    box.className = "qp-views";
    const bar = document.createElement("div");
    bar.className = "qp-view-tabs";
    bar.setAttribute("role", "tablist");
    bar.setAttribute("aria-label", "Views of the result");
    box.appendChild(bar);
    const panels = [];
    for (const [name, title, draw] of [["table", "Table", () => table], ...found]) {
      const button = document.createElement("button");
      button.type = "button";
      button.setAttribute("role", "tab");
      button.dataset.view = name;
      button.textContent = title;
      const panel = document.createElement("div");
      panel.setAttribute("role", "tabpanel");
      panel.className = "qp-view";
      panel.dataset.view = name;
      panel.hidden = name !== "table";
      button.setAttribute("aria-selected", String(name === "table"));
      if (name === "table") panel.appendChild(table);
      button.addEventListener("click", () => {
        if (!panel.firstChild) panel.appendChild(draw());
        panels.forEach(([b, p]) => { b.setAttribute("aria-selected", String(b === button)); p.hidden = p !== panel; });
      });
      panels.push([button, panel]);
      bar.appendChild(button);
      box.appendChild(panel);
    }
    if (note) {
      const p = document.createElement("span");
      p.className = "qp-view-note";
      p.textContent = note;
      bar.appendChild(p);
    }
    return box;
  }

  window.QueryViews = { withViews, Views, timeOf };
})();
