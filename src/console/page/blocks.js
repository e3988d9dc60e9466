// Renders Slack messages (Block Kit, mrkdwn, legacy attachments) as HTML, the way the Slack client shows
// them. Every string from a message is escaped here; nothing the bot sends is trusted as HTML.

const EMOJI = {
  x: '❌',
  white_check_mark: '✅',
  warning: '⚠️',
  no_entry: '⛔',
  rotating_light: '🚨',
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  mag: '🔍',
  information_source: 'ℹ️',
  wastebasket: '🗑️',
  pencil2: '✏️',
  heavy_plus_sign: '➕',
  heavy_minus_sign: '➖',
  gear: '⚙️',
  broom: '🧹',
  lock: '🔒',
  key: '🔑',
  package: '📦',
  arrows_counterclockwise: '🔄',
  leftwards_arrow_with_hook: '↩️',
  snapgate: '📸',
  clock3: '🕒',
  no_entry_sign: '🚫',
  repeat: '🔁',
  floppy_disk: '💾',
  alarm_clock: '⏰',
  ballot_box_with_check: '☑️',
  heavy_multiplication_x: '✖️',
  raised_hand: '✋',
};

const COLORS = { good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' };

export function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Slack escapes &, < and > in text; the client shows them as characters. */
function decode(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function emoji(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] ?? m);
}

function styles(html) {
  const edge = '(?=$|[\\s.,:;!?)\\]\\uE000\\uE001])';
  return html
    .replace(new RegExp(`(^|[\\s(\\[\\uE000\\uE001])\\*([^*\\n]+?)\\*${edge}`, 'g'), '$1<b>$2</b>')
    .replace(new RegExp(`(^|[\\s(\\[\\uE000\\uE001])_([^_\\n]+?)_${edge}`, 'g'), '$1<i>$2</i>')
    .replace(new RegExp(`(^|[\\s(\\[\\uE000\\uE001])~([^~\\n]+?)~${edge}`, 'g'), '$1<s>$2</s>');
}

function token(inner, people) {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : inner.slice(bar + 1);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const who = people.get(id);
    return `<span class="mention" data-user="${esc(id)}">@${esc(who ? who.name : label || id)}</span>`;
  }
  if (target.startsWith('#')) return `<span class="mention">#${esc(label || target.slice(1))}</span>`;
  if (target.startsWith('!date^')) {
    // <!date^unix^format|fallback>: Slack shows the time in the reader's own time zone
    const when = new Date(Number(target.split('^')[1]) * 1000);
    if (Number.isNaN(when.getTime())) return esc(decode(label));
    const shown = when.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
    return `<time datetime="${esc(when.toISOString())}">${esc(shown)}</time>`;
  }
  if (target.startsWith('!'))
    return `<span class="mention">@${esc(label || target.slice(1).split('^')[0])}</span>`;
  if (/^(https?:|mailto:)/.test(target))
    return `<a href="${esc(target)}" target="_blank" rel="noopener">${esc(decode(label || target))}</a>`;
  return esc(decode(`<${inner}>`));
}

/** Slack mrkdwn → HTML: code blocks, code spans, links and mentions, *bold*, _italic_, ~strike~, emoji. */
export function mrkdwn(text, people = new Map()) {
  const kept = [];
  const keep = (html) => `\uE000${kept.push(html) - 1}\uE001`;
  let s = String(text ?? '');
  s = s.replace(/```([\s\S]*?)```/g, (_, body) => keep(`<pre>${esc(decode(body.replace(/^\n/, '')))}</pre>`));
  s = s.replace(/`([^`\n]+)`/g, (_, body) => keep(`<code>${esc(decode(body))}</code>`));
  s = s.replace(/<([^<>\s][^<>]*)>/g, (_, inner) => keep(token(inner, people)));
  let html = emoji(styles(esc(decode(s))));
  html = html.replace(/\n/g, '<br>');
  return html.replace(/\uE000(\d+)\uE001/g, (_, i) => kept[Number(i)]);
}

function textObject(t, people) {
  if (!t) return '';
  return t.type === 'mrkdwn' ? mrkdwn(t.text, people) : emoji(esc(t.text));
}

function buttonHtml(el, blockId) {
  if (el.type !== 'button') return `<span class="unsupported">[${esc(el.type)}]</span>`;
  const cls = el.style ? `btn ${el.style}` : 'btn';
  const confirm = el.confirm ? ` data-confirm="${esc(JSON.stringify(el.confirm))}"` : '';
  if (el.url)
    return `<a class="${cls}" href="${esc(el.url)}" target="_blank" rel="noopener">${esc(el.text.text)}</a>`;
  return (
    `<button type="button" class="${cls}" data-action="${esc(el.action_id ?? '')}" data-block="${esc(blockId)}"` +
    ` data-value="${esc(el.value ?? '')}"${confirm}>${emoji(esc(el.text.text))}</button>`
  );
}

function blockHtml(b, i, people) {
  const blockId = b.block_id ?? `blk${i}`;
  switch (b.type) {
    case 'header':
      return `<div class="block block-header">${emoji(esc(b.text.text))}</div>`;
    case 'section': {
      const text = b.text
        ? `<div class="text">${textObject(b.text, people)}</div>`
        : '<div class="text"></div>';
      const fields = b.fields
        ? `<div class="fields">${b.fields.map((f) => `<div class="text">${textObject(f, people)}</div>`).join('')}</div>`
        : '';
      const accessory = b.accessory ? buttonHtml(b.accessory, blockId) : '';
      return `<div class="block section-block"><div class="section">${text}${accessory}</div>${fields}</div>`;
    }
    case 'context':
      return `<div class="block block-context">${b.elements
        .map((e) =>
          e.type === 'image'
            ? `<img alt="${esc(e.alt_text)}" src="${esc(e.image_url)}" width="16" height="16">`
            : `<span>${textObject(e, people)}</span>`,
        )
        .join('')}</div>`;
    case 'divider':
      return '<hr class="divider">';
    case 'actions':
      return `<div class="block actions" data-block="${esc(blockId)}">${b.elements.map((e) => buttonHtml(e, blockId)).join('')}</div>`;
    default:
      return `<div class="block unsupported">[${esc(b.type)} block]</div>`;
  }
}

export function blocksHtml(blocks, people) {
  return blocks.map((b, i) => blockHtml(b, i, people)).join('');
}

function attachmentHtml(a, people) {
  const hex = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(a.color ?? '');
  const color = COLORS[a.color] ?? (hex ? `#${hex[1]}` : '#ddd');
  let inner = '';
  if (a.pretext) inner += `<div class="text">${mrkdwn(a.pretext, people)}</div>`;
  if (a.title) inner += `<div class="text"><b>${esc(a.title)}</b></div>`;
  if (a.blocks) inner += blocksHtml(a.blocks, people);
  else if (a.text) inner += `<div class="text">${mrkdwn(a.text, people)}</div>`;
  if (a.fields)
    inner += `<div class="fields">${a.fields.map((f) => `<div class="text"><b>${esc(f.title ?? '')}</b><br>${mrkdwn(f.value ?? '', people)}</div>`).join('')}</div>`;
  if (a.footer) inner += `<div class="block-context">${mrkdwn(a.footer, people)}</div>`;
  return `<div class="attachment"><div class="bar" style="background:${esc(color)}"></div><div class="inner">${inner}</div></div>`;
}

/** The body of a message: its blocks (or its text when it has none) and its attachments. */
export function messageBody(m, people) {
  let html = m.blocks?.length
    ? blocksHtml(m.blocks, people)
    : m.text
      ? `<div class="text">${mrkdwn(m.text, people)}</div>`
      : '';
  if (m.attachments) html += m.attachments.map((a) => attachmentHtml(a, people)).join('');
  return html;
}
