// Two small SVG charts, written by hand (a few rectangles and labels need no charting library, and
// the output stays a readable, diffable text file in docs/):
// - grouped horizontal bars: one group per scenario, one bar per series, each group scaled to its
//   own largest value (scenarios differ by orders of magnitude), the value written beside each bar;
// - stacked horizontal bars: one per row, the parts as shares of the row's total, the total beside.

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

export function escapeXml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);
}

function frame(width, height, title, subtitle, body) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="26" ${FONT} font-size="16" font-weight="600" fill="#1a1a1a">${escapeXml(title)}</text>`,
    subtitle ? `<text x="16" y="46" ${FONT} font-size="12" fill="#555555">${escapeXml(subtitle)}</text>` : '',
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function legend(series, x, y) {
  const out = [];
  let at = x;
  for (const s of series) {
    out.push(`<rect x="${at}" y="${y - 10}" width="12" height="12" fill="${s.color}"/>`);
    out.push(`<text x="${at + 16}" y="${y}" ${FONT} font-size="12" fill="#1a1a1a">${escapeXml(s.name)}</text>`);
    at += 28 + s.name.length * 7;
  }
  return out;
}

/**
 * groups: [{ label, bars: { [seriesKey]: { value, text } } }]; series: [{ key, name, color }].
 * A missing bar leaves its slot empty.
 */
export function groupedBarChart({ title, subtitle, series, groups, width = 900, labelWidth = 300, note }) {
  const bar = 16;
  const gap = 3;
  const groupGap = 14;
  const top = subtitle ? 78 : 58;
  const plot = width - labelWidth - 150;
  const groupHeight = series.length * (bar + gap) - gap;
  const body = legend(series, 16, top - 12);
  let y = top;
  for (const group of groups) {
    const max = Math.max(...series.map((s) => group.bars[s.key]?.value ?? 0));
    body.push(`<text x="${labelWidth - 10}" y="${y + groupHeight / 2 + 4}" ${FONT} font-size="12" text-anchor="end" fill="#1a1a1a">${escapeXml(group.label)}</text>`);
    series.forEach((s, i) => {
      const b = group.bars[s.key];
      const by = y + i * (bar + gap);
      if (!b || !(b.value > 0) || !(max > 0)) return;
      const w = Math.max(1, (b.value / max) * plot);
      body.push(`<rect x="${labelWidth}" y="${by}" width="${w.toFixed(1)}" height="${bar}" fill="${s.color}"><title>${escapeXml(`${s.name}: ${b.text}`)}</title></rect>`);
      body.push(`<text x="${labelWidth + w + 6}" y="${by + bar - 4}" ${FONT} font-size="11" fill="#333333">${escapeXml(b.text)}</text>`);
    });
    y += groupHeight + groupGap;
  }
  if (note) body.push(`<text x="16" y="${y + 10}" ${FONT} font-size="11" fill="#555555">${escapeXml(note)}</text>`);
  return frame(width, y + (note ? 24 : 6), title, subtitle, body);
}

/** rows: [{ label, parts: { [seriesKey]: value }, text }]; each row's bar is its parts as shares of 100%. */
export function stackedShareChart({ title, subtitle, series, rows, width = 900, labelWidth = 300, note }) {
  const bar = 18;
  const rowGap = 8;
  const top = subtitle ? 78 : 58;
  const plot = width - labelWidth - 150;
  const body = legend(series, 16, top - 12);
  let y = top;
  for (const row of rows) {
    const total = series.reduce((s, x) => s + (row.parts[x.key] ?? 0), 0);
    body.push(`<text x="${labelWidth - 10}" y="${y + bar - 5}" ${FONT} font-size="12" text-anchor="end" fill="#1a1a1a">${escapeXml(row.label)}</text>`);
    let x = labelWidth;
    for (const s of series) {
      const v = row.parts[s.key] ?? 0;
      if (!(v > 0) || !(total > 0)) continue;
      const w = (v / total) * plot;
      body.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${bar}" fill="${s.color}"><title>${escapeXml(`${s.name}: ${Math.round((v / total) * 100)}%`)}</title></rect>`);
      x += w;
    }
    body.push(`<text x="${labelWidth + plot + 6}" y="${y + bar - 5}" ${FONT} font-size="11" fill="#333333">${escapeXml(row.text)}</text>`);
    y += bar + rowGap;
  }
  if (note) body.push(`<text x="16" y="${y + 10}" ${FONT} font-size="11" fill="#555555">${escapeXml(note)}</text>`);
  return frame(width, y + (note ? 24 : 6), title, subtitle, body);
}
