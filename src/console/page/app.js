// The console page: keeps the channel's state from /console/state and the live event stream, renders it
// with blocks.js, and acts as the chosen person (slash commands, button clicks, gateway breakage).
import { esc, messageBody, mrkdwn } from './blocks.js';

const $ = (id) => document.getElementById(id);
const state = {
  user: null,
  people: new Map(),
  messages: new Map(),
  ephemerals: [],
  files: new Map(),
  commands: [],
  openThread: null,
  history: JSON.parse(localStorage.getItem('snapgate-console-history') ?? '[]'),
  historyAt: -1,
};

async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  return json;
}

function notice(level, text) {
  const div = document.createElement('div');
  div.className = `notice ${level}`;
  div.innerHTML = `<span>${level === 'error' ? '⛔' : 'ℹ️'}</span><span class="notice-text">${esc(text)}</span><button type="button" aria-label="Dismiss">×</button>`;
  div.querySelector('button').onclick = () => div.remove();
  $('notices').prepend(div);
  if (level === 'info') setTimeout(() => div.remove(), 8000);
}

function time(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function filesHtml(ids) {
  return (ids ?? [])
    .map((id) => {
      const f = state.files.get(id);
      const title = `<span>📄 ${f ? `<b>${esc(f.title)}</b>` : esc(id)}</span>`;
      const meta = f
        ? `<span class="muted">${esc(f.filename)} · ${f.length} bytes · click to open</span>`
        : '';
      return `<button type="button" class="filechip" data-file="${esc(id)}">${title}${meta}</button>`;
    })
    .join('');
}

function messageHtml(m, { ephemeral = false, inThread = false } = {}) {
  const replies =
    inThread || ephemeral
      ? []
      : [...state.messages.values()].filter((r) => r.threadTs === m.ts && !r.deleted);
  const repliesHtml = replies.length
    ? `<button type="button" class="replies" data-thread="${esc(m.ts)}">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</button>`
    : '';
  const only = ephemeral ? '<div class="only-you">👁 Only visible to you</div>' : '';
  return (
    `<div class="msg${ephemeral ? ' ephemeral' : ''}" data-ts="${esc(m.ts)}"${ephemeral ? ' data-ephemeral="1"' : ''}>` +
    `<div class="avatar">sg</div><div class="body">${only}` +
    `<div class="meta"><b>snapgate</b><span class="app-tag">APP</span>${time(m.postedAt)}</div>` +
    `<div class="content">${messageBody(m, state.people)}${filesHtml(m.fileIds)}</div>${repliesHtml}</div></div>`
  );
}

function keepScroll(el, render) {
  const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  render();
  if (atBottom) el.scrollTop = el.scrollHeight;
}

function render() {
  const mine = state.ephemerals.filter((e) => e.user === state.user);
  const top = [...state.messages.values()].filter((m) => !m.threadTs && !m.deleted);
  const items = [
    ...top.map((m) => ({ at: m.postedAt, ts: m.ts, html: () => messageHtml(m) })),
    ...mine
      .filter((e) => !e.threadTs)
      .map((e) => ({ at: e.postedAt, ts: e.ts, html: () => messageHtml(e, { ephemeral: true }) })),
  ].sort((a, b) => a.at - b.at || (a.ts < b.ts ? -1 : 1));
  keepScroll($('messages'), () => {
    $('messages').innerHTML = items.map((i) => i.html()).join('');
  });
  const root = state.openThread && state.messages.get(state.openThread);
  $('thread').hidden = !root;
  $('gateway').hidden = Boolean(root) || !state.gateway;
  if (root) {
    const replies = [
      ...[...state.messages.values()]
        .filter((r) => r.threadTs === root.ts && !r.deleted)
        .map((m) => ({ m, e: false })),
      ...mine.filter((e) => e.threadTs === root.ts).map((m) => ({ m, e: true })),
    ].sort((a, b) => a.m.postedAt - b.m.postedAt);
    keepScroll($('thread-messages'), () => {
      $('thread-messages').innerHTML =
        messageHtml(root, { inThread: true }) +
        `<hr class="divider"><div class="muted" style="padding:0 16px">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>` +
        replies.map(({ m, e }) => messageHtml(m, { ephemeral: e, inThread: true })).join('');
    });
  }
}

let pending = false;
function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    render();
  });
}

function renderGateway(g) {
  $('gateway-total').textContent = String(g.total);
  $('gateway-kinds').innerHTML = Object.entries(g.kinds)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `<li><span>${esc(k)}</span><b>${n}</b></li>`)
    .join('');
}

function setUser(id) {
  state.user = id;
  $('user').value = id;
  localStorage.setItem('snapgate-console-user', id);
  schedule();
}

async function load() {
  const s = await (await fetch('/console/state')).json();
  state.channel = s.channel;
  state.gateway = s.gateway;
  state.commands = s.commands;
  for (const p of s.people) state.people.set(p.id, p);
  for (const m of s.messages) state.messages.set(m.ts, m);
  state.ephemerals = s.ephemerals;
  for (const f of s.files) state.files.set(f.id, f);
  for (const p of s.problems) notice('error', p);
  $('channel-name').textContent = `# ${s.channel.name}`;
  $('user').innerHTML = s.people
    .map((p) => `<option value="${esc(p.id)}">${esc(p.name)} (${esc(p.role)})</option>`)
    .join('');
  $('people').innerHTML = s.people
    .map((p) => `<li><b>${esc(p.name)}</b> <span class="muted">${esc(p.role)}</span></li>`)
    .join('');
  const saved = localStorage.getItem('snapgate-console-user');
  setUser(state.people.has(saved) ? saved : s.people[0].id);
  if (s.gateway) {
    $('gateway-name').textContent = s.gateway.name;
    $('breakages').innerHTML = Object.entries(s.gateway.breakages)
      .map(([k, label]) => `<button type="button" class="btn" data-break="${esc(k)}">${esc(label)}</button>`)
      .join('');
  }
  render();
}

function connect() {
  const es = new EventSource('/console/events');
  es.addEventListener('hello', () => {
    $('live').textContent = 'live';
    $('live').classList.add('on');
  });
  es.addEventListener('message', (ev) => {
    const m = JSON.parse(ev.data);
    state.messages.set(m.ts, m);
    schedule();
  });
  es.addEventListener('ephemeral', (ev) => {
    state.ephemerals.push(JSON.parse(ev.data));
    schedule();
  });
  es.addEventListener('file', (ev) => {
    const f = JSON.parse(ev.data);
    state.files.set(f.id, f);
    schedule();
  });
  es.addEventListener('notice', (ev) => {
    const n = JSON.parse(ev.data);
    notice(n.level, n.text);
  });
  es.addEventListener('gateway', (ev) => renderGateway(JSON.parse(ev.data)));
  es.onerror = () => {
    $('live').textContent = 'reconnecting…';
    $('live').classList.remove('on');
  };
}

function confirmFirst(confirm) {
  if (!confirm) return Promise.resolve(true);
  const c = JSON.parse(confirm);
  const d = $('confirm');
  $('confirm-title').textContent = c.title?.text ?? 'Are you sure?';
  $('confirm-text').innerHTML =
    c.text?.type === 'mrkdwn' ? mrkdwn(c.text.text, state.people) : esc(c.text?.text ?? '');
  $('confirm-ok').textContent = c.confirm?.text ?? 'Yes';
  $('confirm-ok').className = `btn ${c.style ?? 'primary'}`;
  $('confirm-deny').textContent = c.deny?.text ?? 'Cancel';
  d.returnValue = '';
  d.showModal();
  return new Promise((resolve) =>
    d.addEventListener('close', () => resolve(d.returnValue === 'confirm'), { once: true }),
  );
}

async function onClick(ev) {
  const el = ev.target.closest('button');
  if (!el) return;
  if (el.dataset.thread) {
    state.openThread = el.dataset.thread;
    render();
    return;
  }
  if (el.dataset.file) {
    const f = state.files.get(el.dataset.file);
    $('file-title').textContent = f ? f.title : el.dataset.file;
    $('file-content').textContent = 'loading…';
    $('file').showModal();
    const res = await fetch(`/console/files/${encodeURIComponent(el.dataset.file)}`);
    $('file-content').textContent = res.ok
      ? await res.text()
      : `could not load the file (HTTP ${res.status})`;
    return;
  }
  if (el.dataset.break) {
    el.disabled = true;
    try {
      await post(`/console/gateway/${el.dataset.break}`, {});
    } catch (err) {
      notice('error', err.message);
    } finally {
      el.disabled = false;
    }
    return;
  }
  if (el.dataset.action !== undefined) {
    const msg = el.closest('.msg');
    if (!(await confirmFirst(el.dataset.confirm))) return;
    try {
      await post('/console/click', {
        user: state.user,
        ts: msg.dataset.ts,
        actionId: el.dataset.action,
        blockId: el.dataset.block,
        value: el.dataset.value,
        text: el.textContent,
      });
    } catch (err) {
      notice('error', err.message);
    }
  }
}

// Composer: /kong grammar hints from the bot's own command table, history with ↑/↓.
function hints() {
  const v = $('command').value.replace(/^\s*\/kong\b\s*/, '');
  const word = v.split(/\s+/)[0] ?? '';
  const list = v.includes(' ')
    ? state.commands.filter((c) => c.name === word)
    : state.commands.filter((c) => c.name.startsWith(word));
  $('hints').hidden = list.length === 0 || document.activeElement !== $('command');
  $('hints').innerHTML = list
    .map((c) => `<li data-name="${esc(c.name)}">${mrkdwn(`\`/kong ${c.usage}\``)} — ${esc(c.summary)}</li>`)
    .join('');
}

async function send(ev) {
  ev.preventDefault();
  const raw = $('command').value.trim();
  if (!raw) return;
  const text = raw.replace(/^\s*\/kong\b\s*/, '');
  state.history = [raw, ...state.history.filter((h) => h !== raw)].slice(0, 50);
  localStorage.setItem('snapgate-console-history', JSON.stringify(state.history));
  state.historyAt = -1;
  $('command').value = '';
  $('hints').hidden = true;
  try {
    await post('/console/command', { user: state.user, text });
  } catch (err) {
    notice('error', err.message);
  }
}

function onKey(ev) {
  if (ev.key === 'ArrowUp' || ev.key === 'ArrowDown') {
    if (!state.history.length) return;
    ev.preventDefault();
    state.historyAt = Math.max(
      -1,
      Math.min(state.history.length - 1, state.historyAt + (ev.key === 'ArrowUp' ? 1 : -1)),
    );
    $('command').value = state.historyAt < 0 ? '' : state.history[state.historyAt];
    hints();
  } else if (ev.key === 'Escape') {
    $('hints').hidden = true;
  }
}

document.addEventListener('click', (ev) => void onClick(ev));
$('user').addEventListener('change', () => setUser($('user').value));
$('thread-close').addEventListener('click', () => {
  state.openThread = null;
  render();
});
$('composer').addEventListener('submit', (ev) => void send(ev));
$('command').addEventListener('input', hints);
$('command').addEventListener('focus', hints);
$('command').addEventListener('blur', () => setTimeout(() => ($('hints').hidden = true), 150));
$('command').addEventListener('keydown', onKey);
$('hints').addEventListener('mousedown', (ev) => {
  const li = ev.target.closest('li');
  if (!li) return;
  ev.preventDefault();
  $('command').value = `/kong ${li.dataset.name} `;
  hints();
});

load().then(connect, (err) => notice('error', `could not load the console: ${err.message}`));
