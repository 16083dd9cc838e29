// dealdesk local workspace — the page. Plain ES module, no build step, no network beyond this server.
// Everything the page shows comes from GET /api/state (the Slack stand-in's conversation state);
// everything a person does goes through POST /api/* and reaches dealdesk as Slack would send it.

import { LANGUAGES, word } from '/words.js';

const $ = (sel, root = document) => root.querySelector(sel);

// ------------------------------------------------------------------------------------------
// Emoji shortcodes (the ones dealdesk uses, and the usual suspects)
// ------------------------------------------------------------------------------------------

const EMOJI = {
  white_check_mark: '✅', heavy_check_mark: '✔️', ballot_box_with_check: '☑️', x: '❌', negative_squared_cross_mark: '❎',
  warning: '⚠️', hourglass_flowing_sand: '⏳', hourglass: '⌛', leftwards_arrow_with_hook: '↩️', arrow_right_hook: '↪️',
  black_nib: '✒️', pencil: '📝', pencil2: '✏️', memo: '📝', alarm_clock: '⏰', stopwatch: '⏱️', timer_clock: '⏲️',
  scales: '⚖️', moneybag: '💰', money_with_wings: '💸', dollar: '💵', euro: '💶', pound: '💷', yen: '💴', credit_card: '💳',
  handshake: '🤝', chart_with_upwards_trend: '📈', chart_with_downwards_trend: '📉', bar_chart: '📊',
  arrows_counterclockwise: '🔄', repeat: '🔁', arrow_forward: '▶️', arrow_right: '➡️', arrow_left: '⬅️', arrow_up: '⬆️', arrow_down: '⬇️',
  white_large_square: '⬜', black_large_square: '⬛', white_circle: '⚪', black_circle: '⚫', red_circle: '🔴',
  large_green_circle: '🟢', large_yellow_circle: '🟡', large_orange_circle: '🟠', large_blue_circle: '🔵', large_purple_circle: '🟣',
  green_heart: '💚', heart: '❤️', tada: '🎉', confetti_ball: '🎊', trophy: '🏆', medal: '🏅', star: '⭐', sparkles: '✨', fire: '🔥', rocket: '🚀',
  receipt: '🧾', package: '📦', truck: '🚚', outbox_tray: '📤', inbox_tray: '📥', incoming_envelope: '📨', email: '📧', envelope: '✉️',
  heavy_plus_sign: '➕', heavy_minus_sign: '➖', heavy_multiplication_x: '✖️', bell: '🔔', no_bell: '🔕', mega: '📣', loudspeaker: '📢',
  house: '🏠', house_with_garden: '🏡', office: '🏢', briefcase: '💼', clipboard: '📋', page_facing_up: '📄', page_with_curl: '📃',
  bookmark_tabs: '📑', file_folder: '📁', open_file_folder: '📂', card_index: '📇', calendar: '📆', date: '📅', spiral_calendar_pad: '🗓️',
  bust_in_silhouette: '👤', busts_in_silhouette: '👥', eyes: '👀', wave: '👋', point_right: '👉', point_left: '👈', point_up: '☝️',
  thumbsup: '👍', '+1': '👍', thumbsdown: '👎', '-1': '👎', clap: '👏', pray: '🙏', raised_hands: '🙌', muscle: '💪', ok_hand: '👌',
  information_source: 'ℹ️', question: '❓', grey_question: '❔', exclamation: '❗', heavy_exclamation_mark: '❗', bangbang: '‼️',
  mag: '🔍', mag_right: '🔎', pushpin: '📌', round_pushpin: '📍', paperclip: '📎', link: '🔗', lock: '🔒', unlock: '🔓', key: '🔑',
  hammer_and_wrench: '🛠️', wrench: '🔧', gear: '⚙️', hammer: '🔨', toolbox: '🧰', construction: '🚧', rotating_light: '🚨',
  no_entry: '⛔', no_entry_sign: '🚫', stop_sign: '🛑', speech_balloon: '💬', thought_balloon: '💭', zap: '⚡', bulb: '💡',
  small_blue_diamond: '🔹', small_orange_diamond: '🔸', large_blue_diamond: '🔷', large_orange_diamond: '🔶', small_red_triangle: '🔺',
  small_red_triangle_down: '🔻', chart: '💹', hourglass_done: '⌛', clock1: '🕐', clock3: '🕒', clock9: '🕘', watch: '⌚',
  smile: '😄', slightly_smiling_face: '🙂', grinning: '😀', wink: '😉', thinking_face: '🤔', sweat_smile: '😅', sunglasses: '😎',
  earth_africa: '🌍', globe_with_meridians: '🌐', factory: '🏭', shopping_trolley: '🛒', label: '🏷️', ticket: '🎫', gift: '🎁',
  new: '🆕', sos: '🆘', ok: '🆗', cool: '🆒', free: '🆓', top: '🔝', soon: '🔜', back: '🔙', end: '🔚', one: '1️⃣', two: '2️⃣', three: '3️⃣',
  a: '🅰️', b: '🅱️', ab: '🆎', o: '⭕', abc: '🔤', '100': '💯', checkered_flag: '🏁', triangular_flag_on_post: '🚩', dart: '🎯', seedling: '🌱',
};

// ------------------------------------------------------------------------------------------
// State
// ------------------------------------------------------------------------------------------

const params = new URLSearchParams(location.search);
const S = {
  me: params.get('user') || localStorage.getItem('dd.user') || 'U0SELLER',
  conv: decodeURIComponent(location.hash.slice(1)) || 'C0SALES',
  state: null,
  thread: null, // { channel, ts }
  sigMain: '',
  sigThread: '',
  modalKey: '',
  history: JSON.parse(sessionStorage.getItem('dd.history') || '[]'),
  historyAt: -1,
  hintIndex: 0,
  es: null,
  flash: null,
};

function seenKey(conv) { return `dd.seen.${S.me}.${conv}`; }
function seenTs(conv) { return localStorage.getItem(seenKey(conv)) || '0'; }
function markSeen(conv, ts) { if (ts && tsCmp(ts, seenTs(conv)) > 0) localStorage.setItem(seenKey(conv), ts); }
function tsCmp(a, b) {
  const [as, af = '0'] = String(a).split('.');
  const [bs, bf = '0'] = String(b).split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}

// ------------------------------------------------------------------------------------------
// Server
// ------------------------------------------------------------------------------------------

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  let data = {};
  try { data = await res.json(); } catch { /* empty */ }
  if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
  return data;
}

let refreshing = null;
let again = false;
async function refresh() {
  if (refreshing) { again = true; return refreshing; }
  refreshing = (async () => {
    do {
      again = false;
      const me = S.me;
      const res = await fetch(`/api/state?user=${encodeURIComponent(me)}`);
      if (!res.ok) throw new Error(`state: HTTP ${res.status}`);
      const st = await res.json();
      if (me === S.me) { S.state = st; render(); }
    } while (again);
  })().finally(() => { refreshing = null; });
  return refreshing;
}

let refreshTimer = null;
function scheduleRefresh() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => { refreshTimer = null; refresh().catch(() => undefined); }, 40);
}

function connect() {
  if (S.es) S.es.close();
  const es = new EventSource(`/api/events?user=${encodeURIComponent(S.me)}`);
  S.es = es;
  let downTimer = null;
  es.addEventListener('change', scheduleRefresh);
  es.onopen = () => { clearTimeout(downTimer); $('#offline').hidden = true; scheduleRefresh(); };
  es.onerror = () => { clearTimeout(downTimer); downTimer = setTimeout(() => { $('#offline').hidden = false; }, 1500); };
}

// ------------------------------------------------------------------------------------------
// Small DOM helpers
// ------------------------------------------------------------------------------------------

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'html') el.innerHTML = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
function decode(s) {
  return String(s).replace(/&(amp|lt|gt);/g, (m) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>' })[m]);
}

/** A short note; one with a `key` replaces the previous one with that key. */
function toast(text, kind = '', key = '', ms = kind === 'error' ? 6000 : 2500) {
  if (key) document.querySelector(`.toast[data-key="${key}"]`)?.remove();
  const t = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-key': key || null }, text);
  $('#toasts').append(t);
  setTimeout(() => t.remove(), ms);
}

function userOf(id) {
  return S.state?.users.find((u) => u.id === id);
}
function isAppUser(id) {
  return id === S.state?.bot.id || id === 'USLACKBOT' || Boolean(userOf(id)?.isBot);
}
function displayName(id) {
  const u = userOf(id);
  return u ? u.realName : id;
}

function avatar(id, cls = '') {
  const u = userOf(id);
  const isBot = id === S.state?.bot.id;
  const isSlackbot = id === 'USLACKBOT';
  const initials = u?.initials ?? String(id).slice(1, 3);
  return h('div', { class: `avatar ${isBot ? 'bot' : ''} ${isSlackbot ? 'slackbot' : ''} ${cls}`, style: { background: u?.color ?? '#6b7785' }, 'aria-hidden': 'true' }, initials);
}

// Times are 24-hour HH:mm everywhere, like the ones dealdesk writes into its messages.
function fmtTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}
function fmtFull(ms) {
  return new Date(ms).toLocaleString(lang() === 'bg' ? 'bg-BG' : [], { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}
function dayLabel(ms) {
  const d = new Date(ms);
  const today = new Date();
  const y = new Date(Date.now() - 86_400_000);
  if (d.toDateString() === today.toDateString()) return w('day.today');
  if (d.toDateString() === y.toDateString()) return w('day.yesterday');
  return d.toLocaleDateString(lang() === 'bg' ? 'bg-BG' : [], { weekday: 'long', month: 'long', day: 'numeric' });
}

// ------------------------------------------------------------------------------------------
// mrkdwn → HTML (everything escaped; Slack sends &, <, > as &amp; &lt; &gt;)
// ------------------------------------------------------------------------------------------

function emojify(escaped) {
  return escaped.replace(/:([a-z0-9_+-]+):/g, (m, name) => (EMOJI[name] ? `<span class="emoji" title=":${name}:">${EMOJI[name]}</span>` : m));
}

function mrkdwn(text) {
  const parts = String(text ?? '').split('```');
  let out = '';
  parts.forEach((part, i) => {
    const isPre = i % 2 === 1 && i < parts.length - 1;
    if (isPre) out += `<pre class="md-pre">${esc(decode(part.replace(/^\n/, '').replace(/\n$/, '')))}</pre>`;
    else out += (i % 2 === 1 ? '```' : '') + lines(part);
  });
  return out;
}

function lines(text) {
  const items = [];
  let quote = [];
  const flush = () => { if (quote.length) { items.push({ block: true, html: `<blockquote>${quote.map(inline).join('<br>')}</blockquote>` }); quote = []; } };
  for (const line of text.split('\n')) {
    const m = /^(?:>|&gt;) ?(.*)$/.exec(line);
    if (m) { quote.push(m[1]); continue; }
    flush();
    items.push({ block: false, html: inline(line) });
  }
  flush();
  let html = '';
  items.forEach((it, i) => {
    html += it.html;
    const next = items[i + 1];
    if (next && !it.block && !next.block) html += '<br>';
  });
  return html;
}

function inline(s) {
  const slots = [];
  const keep = (html) => `\u0000${slots.push(html) - 1}\u0000`;
  s = s.replace(/`([^`\n]+)`/g, (_, c) => keep(`<code>${esc(decode(c))}</code>`));
  s = s.replace(/<([^<>\s][^<>]*)>/g, (_, inner) => keep(token(inner)));
  s = esc(decode(s));
  s = s.replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1<b>$2</b>');
  s = s.replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])/g, '$1<i>$2</i>');
  s = s.replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])/g, '$1<s>$2</s>');
  s = emojify(s);
  return s.replace(/\u0000(\d+)\u0000/g, (_, i) => slots[Number(i)]);
}

function token(inner) {
  const [target, ...rest] = inner.split('|');
  const label = rest.join('|');
  let m;
  if ((m = /^@([UW][A-Z0-9_]+)$/.exec(target))) {
    const u = userOf(m[1]);
    const name = u ? u.realName : label ? decode(label) : m[1];
    return `<span class="mention${m[1] === S.me ? ' me' : ''}" title="${esc(u ? `${u.realName} · ${u.title}` : m[1])}">@${esc(name)}</span>`;
  }
  if ((m = /^#([CGD][A-Z0-9_]+)$/.exec(target))) {
    const ch = S.state?.channels.find((c) => c.id === m[1]);
    return `<span class="mention channel" data-goto="${esc(m[1])}">#${esc(ch ? ch.name : label ? decode(label) : m[1])}</span>`;
  }
  if ((m = /^!subteam\^([A-Z0-9]+)$/.exec(target))) {
    return `<span class="mention group">@${esc(label ? decode(label).replace(/^@/, '') : m[1])}</span>`;
  }
  if ((m = /^!(here|channel|everyone)$/.exec(target))) return `<span class="mention group">@${m[1]}</span>`;
  if (/^!date\^/.test(target)) return esc(decode(label || target));
  if (/^(https?:\/\/|mailto:)/i.test(target)) {
    const href = decode(target);
    return `<a href="${esc(href)}" target="_blank" rel="noopener noreferrer">${label ? emojify(esc(decode(label))) : esc(href)}</a>`;
  }
  return esc(decode(`<${inner}>`));
}

function textObj(t, cls = '') {
  if (!t) return h('span');
  if (typeof t === 'string') return h('span', { class: `md ${cls}`, html: mrkdwn(t) });
  if (t.type === 'mrkdwn') return h('span', { class: `md ${cls}`, html: mrkdwn(t.text) });
  return h('span', { class: cls, html: t.emoji === false ? esc(t.text ?? '') : emojify(esc(t.text ?? '')) });
}
function plain(t) {
  if (!t) return '';
  return typeof t === 'string' ? t : String(t.text ?? '').replace(/:([a-z0-9_+-]+):/g, (m, n) => EMOJI[n] ?? m);
}

// ------------------------------------------------------------------------------------------
// Block Kit
// ------------------------------------------------------------------------------------------

/**
 * ctx: { surface: 'message' | 'modal' | 'home', channel?, ts?, viewId?, errors?, values? }
 */
function blocks(list, ctx) {
  const root = h('div', { class: 'bk' });
  (list || []).forEach((b, i) => {
    const el = block(b, i, ctx);
    if (el) root.append(el);
  });
  return root;
}

function block(b, index, ctx) {
  const blockId = b.block_id ?? `emu${index}`;
  switch (b.type) {
    case 'header':
      return h('div', { class: 'bk-header' }, textObj(b.text));
    case 'section': {
      const main = h('div', { class: 'bk-sec-main' });
      if (b.text) main.append(h('div', { class: 'msg-text' }, textObj(b.text)));
      if (b.fields?.length) main.append(h('div', { class: 'bk-fields' }, b.fields.map((f) => h('div', {}, textObj(f)))));
      const sec = h('div', { class: 'bk-section' }, main);
      if (b.accessory) sec.append(h('div', { class: 'bk-accessory' }, element(b.accessory, b, blockId, ctx)));
      return sec;
    }
    case 'divider':
      return h('hr', { class: 'bk-divider' });
    case 'context':
      return h('div', { class: 'bk-context' }, (b.elements || []).map((e) => (e.type === 'image' ? h('img', { src: e.image_url, alt: e.alt_text ?? '' }) : textObj(e))));
    case 'actions':
      return h('div', { class: 'bk-actions' }, (b.elements || []).map((e) => element(e, b, blockId, ctx)));
    case 'image':
      return h('figure', { class: 'bk-image', style: { margin: '2px 0' } },
        b.title ? h('div', { class: 'bk-image-title' }, textObj(b.title)) : null,
        h('img', { src: b.image_url, alt: b.alt_text ?? '', loading: 'lazy', onclick: (ev) => lightbox(ev.target.src), onerror: (ev) => ev.target.replaceWith(h('div', { class: 'bk-unknown' }, `[image: ${b.alt_text ?? b.image_url}]`)) }));
    case 'input':
      return input(b, blockId, ctx);
    case 'rich_text':
      return h('div', { class: 'bk-rich' }, (b.elements || []).map(richEl));
    case 'file':
      return h('div', { class: 'file-card' }, '📄 ', b.external_id ?? 'file');
    default:
      return h('div', { class: 'bk-unknown' }, `[${b.type} block]`);
  }
}

function richEl(e) {
  switch (e.type) {
    case 'rich_text_section':
      return h('div', {}, (e.elements || []).map(richInline));
    case 'rich_text_list': {
      const list = h(e.style === 'ordered' ? 'ol' : 'ul');
      for (const item of e.elements || []) list.append(h('li', {}, (item.elements || []).map(richInline)));
      return list;
    }
    case 'rich_text_preformatted':
      return h('pre', { class: 'md-pre' }, (e.elements || []).map((x) => x.text ?? '').join(''));
    case 'rich_text_quote':
      return h('blockquote', { class: 'md' }, (e.elements || []).map(richInline));
    default:
      return h('span');
  }
}

function richInline(x) {
  const style = x.style || {};
  let node;
  switch (x.type) {
    case 'text': node = h('span', {}, x.text); break;
    case 'link': node = h('a', { href: x.url, target: '_blank', rel: 'noopener noreferrer' }, x.text || x.url); break;
    case 'user': node = h('span', { class: `mention${x.user_id === S.me ? ' me' : ''}` }, `@${displayName(x.user_id)}`); break;
    case 'channel': node = h('span', { class: 'mention channel', 'data-goto': x.channel_id }, `#${S.state?.channels.find((c) => c.id === x.channel_id)?.name ?? x.channel_id}`); break;
    case 'usergroup': node = h('span', { class: 'mention group' }, `@${x.usergroup_id}`); break;
    case 'emoji': node = h('span', { class: 'emoji' }, x.unicode ? String.fromCodePoint(...x.unicode.split('-').map((c) => parseInt(c, 16))) : EMOJI[x.name] ?? `:${x.name}:`); break;
    default: node = h('span', {}, x.text ?? '');
  }
  if (style.code) node = h('code', {}, node);
  if (style.bold) node = h('b', {}, node);
  if (style.italic) node = h('i', {}, node);
  if (style.strike) node = h('s', {}, node);
  return node;
}

/** An interactive element outside an input block: acts at once (block_actions). */
function element(e, b, blockId, ctx) {
  const fire = (extra, el) => act(ctx, e, blockId, extra, el);
  switch (e.type) {
    case 'button': {
      const btn = h('button', { type: 'button', class: `bk-btn ${e.style ?? ''}`, 'data-action-id': e.action_id, title: e.accessibility_label ?? null }, textObj(e.text));
      btn.addEventListener('click', async () => {
        if (e.confirm && !(await confirmDialog(e.confirm))) return;
        if (e.url) window.open(e.url, '_blank', 'noopener');
        fire({ value: e.value }, btn);
      });
      return btn;
    }
    case 'static_select':
    case 'external_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select': {
      const sel = selectFor(e, 'bk-select');
      sel.addEventListener('change', async () => {
        if (e.confirm && !(await confirmDialog(e.confirm))) return;
        fire({ selected: sel.value }, sel);
      });
      return sel;
    }
    case 'overflow': {
      const wrap = h('span', { class: 'bk-overflow' });
      const btn = h('button', { type: 'button', class: 'bk-btn', 'aria-label': w('bk.more'), 'data-action-id': e.action_id }, '⋯');
      btn.addEventListener('click', (ev) => {
        ev.stopPropagation();
        const existing = $('.bk-overflow-menu', wrap);
        if (existing) return existing.remove();
        const menu = h('ul', { class: 'bk-overflow-menu', role: 'menu' }, (e.options || []).map((o) =>
          h('li', { role: 'menuitem', onclick: () => { menu.remove(); if (o.url) window.open(o.url, '_blank', 'noopener'); fire({ selected: o.value }, btn); } }, plain(o.text))));
        wrap.append(menu);
        setTimeout(() => document.addEventListener('click', () => menu.remove(), { once: true }));
      });
      wrap.append(btn);
      return wrap;
    }
    case 'datepicker': {
      const d = h('input', { type: 'date', class: 'bk-date', value: e.initial_date ?? '' });
      d.addEventListener('change', () => fire({ selected: d.value }, d));
      return d;
    }
    case 'timepicker': {
      const d = h('input', { type: 'time', class: 'bk-date', value: e.initial_time ?? '' });
      d.addEventListener('change', () => fire({ selected: d.value }, d));
      return d;
    }
    case 'image':
      return h('img', { src: e.image_url, alt: e.alt_text ?? '' });
    case 'checkboxes':
    case 'radio_buttons': {
      const c = choices(e, `${blockId}-${e.action_id}`);
      c.addEventListener('change', () => {
        const picked = [...c.querySelectorAll('input:checked')].map((x) => x.value);
        fire({ selected: e.type === 'checkboxes' ? picked : picked[0] }, c);
      });
      return c;
    }
    default:
      return h('span', { class: 'bk-unknown' }, `[${e.type}]`);
  }
}

function optionsOf(e) {
  if (e.type === 'users_select') return (S.state?.users || []).filter((u) => !u.isBot).map((u) => ({ text: { type: 'plain_text', text: u.realName }, value: u.id }));
  if (e.type === 'conversations_select' || e.type === 'channels_select') return (S.state?.channels || []).map((c) => ({ text: { type: 'plain_text', text: `#${c.name}` }, value: c.id }));
  return [...(e.options || []), ...(e.option_groups || []).flatMap((g) => g.options || [])];
}

function selectFor(e, cls, multiple = false) {
  const initial = e.initial_option?.value ?? e.initial_user ?? e.initial_conversation ?? e.initial_channel;
  const initials = new Set((e.initial_options || []).map((o) => o.value));
  const sel = h('select', { class: cls, multiple: multiple || null, 'data-action-id': e.action_id });
  if (!multiple) sel.append(h('option', { value: '', disabled: true, selected: initial === undefined || null }, plain(e.placeholder) || w('bk.select')));
  const addOpt = (parent, o) => parent.append(h('option', { value: o.value, selected: (o.value === initial || initials.has(o.value)) || null }, plain(o.text)));
  if (e.option_groups?.length) {
    for (const g of e.option_groups) {
      const grp = h('optgroup', { label: plain(g.label) });
      for (const o of g.options || []) addOpt(grp, o);
      sel.append(grp);
    }
  } else for (const o of optionsOf(e)) addOpt(sel, o);
  return sel;
}

function choices(e, name) {
  const initial = new Set([...(e.initial_options || []).map((o) => o.value), e.initial_option?.value].filter(Boolean));
  const type = e.type === 'checkboxes' ? 'checkbox' : 'radio';
  return h('div', { class: 'bk-choices', 'data-action-id': e.action_id }, (e.options || []).map((o, i) =>
    h('label', { class: 'bk-choice' },
      h('input', { type, name, value: o.value, checked: initial.has(o.value) || null, id: `${name}-${i}` }),
      h('span', {}, h('div', {}, textObj(o.text)), o.description ? h('div', { class: 'desc' }, textObj(o.description)) : null))));
}

/** An input block (in a modal, or a message with inputs): collected on submit. */
function input(b, blockId, ctx) {
  const e = b.element || {};
  const error = ctx.errors?.[blockId];
  const id = `in-${blockId}`;
  const saved = ctx.values?.[blockId]?.[e.action_id];
  let control;
  switch (e.type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const val = saved?.value ?? e.initial_value ?? '';
      const attrs = { id, class: e.multiline ? 'bk-textarea' : 'bk-text', placeholder: plain(e.placeholder) || null, maxlength: e.max_length ?? null, 'data-action-id': e.action_id };
      if (e.type === 'number_input') Object.assign(attrs, { inputmode: e.is_decimal_allowed ? 'decimal' : 'numeric' });
      if (e.type === 'email_text_input') attrs.type = 'email';
      if (e.type === 'url_text_input') attrs.type = 'url';
      control = e.multiline ? h('textarea', attrs, val) : h('input', { type: 'text', ...attrs, value: val });
      if (b.dispatch_action) control.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && !e.multiline) { ev.preventDefault(); act(ctx, e, blockId, { value: control.value }, control); } });
      break;
    }
    case 'static_select':
    case 'external_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
      control = selectFor(e, 'bk-select');
      control.id = id;
      if (saved?.selected_option) control.value = saved.selected_option.value;
      if (b.dispatch_action) control.addEventListener('change', () => act(ctx, e, blockId, { selected: control.value }, control));
      break;
    case 'multi_static_select':
    case 'multi_users_select':
    case 'multi_conversations_select':
    case 'multi_channels_select':
      control = selectFor(e, 'bk-select', true);
      control.id = id;
      control.size = Math.min(6, control.options.length || 3);
      break;
    case 'datepicker':
      control = h('input', { id, type: 'date', class: 'bk-date', value: saved?.selected_date ?? e.initial_date ?? '', 'data-action-id': e.action_id });
      if (b.dispatch_action) control.addEventListener('change', () => act(ctx, e, blockId, { selected: control.value }, control));
      break;
    case 'timepicker':
      control = h('input', { id, type: 'time', class: 'bk-date', value: saved?.selected_time ?? e.initial_time ?? '', 'data-action-id': e.action_id });
      break;
    case 'checkboxes':
    case 'radio_buttons':
      control = choices(e, id);
      if (saved?.selected_options) for (const x of control.querySelectorAll('input')) x.checked = saved.selected_options.some((o) => o.value === x.value);
      break;
    default:
      control = h('div', { class: 'bk-unknown' }, `[${e.type} input]`);
  }
  return h('div', { class: `bk-input${error ? ' has-error' : ''}`, 'data-block-id': blockId, 'data-type': e.type },
    h('label', { class: 'bk-label', for: id }, textObj(b.label), b.optional ? h('span', { class: 'opt' }, w('bk.optional')) : null),
    control,
    error ? h('div', { class: 'bk-error', role: 'alert' }, error) : null,
    b.hint ? h('div', { class: 'bk-hint' }, textObj(b.hint)) : null);
}

/** What the inputs of a view hold now: { block_id: { action_id: raw } }. */
function collect(root) {
  const values = {};
  for (const wrap of root.querySelectorAll('.bk-input')) {
    const blockId = wrap.dataset.blockId;
    const ctl = wrap.querySelector('[data-action-id]');
    if (!ctl) continue;
    const actionId = ctl.dataset.actionId;
    let raw;
    if (ctl.classList.contains('bk-choices')) {
      const picked = [...ctl.querySelectorAll('input:checked')].map((x) => x.value);
      raw = wrap.dataset.type === 'radio_buttons' ? (picked[0] ?? null) : picked;
    } else if (ctl.tagName === 'SELECT' && ctl.multiple) raw = [...ctl.selectedOptions].map((o) => o.value);
    else raw = ctl.value;
    values[blockId] = { [actionId]: raw };
  }
  return values;
}

async function act(ctx, e, blockId, extra, el) {
  const body = { user: S.me, actionId: e.action_id, blockId, ...extra };
  if (ctx.viewId) {
    body.viewId = ctx.viewId;
    const form = el?.closest('.modal, .home');
    if (form) body.values = collect(form);
  } else Object.assign(body, { channel: ctx.channel, ts: ctx.ts });
  el?.classList.add('busy');
  try {
    const r = await post('/api/action', body);
    if (!r.ok) toast(w('err.click', { status: r.status }), 'error');
  } catch (err) {
    toast(w('err.generic', { error: err.message }), 'error');
  } finally {
    setTimeout(() => el?.classList.remove('busy'), 250);
  }
}

function confirmDialog(c) {
  return new Promise((resolve) => {
    const done = (v) => { overlay.remove(); resolve(v); };
    const overlay = h('div', { class: 'overlay confirm', onclick: (ev) => { if (ev.target === overlay) done(false); } },
      h('div', { class: 'modal', role: 'alertdialog', 'aria-modal': 'true' },
        h('div', { class: 'modal-head' }, h('h2', { class: 'modal-title' }, plain(c.title) || w('bk.sure'))),
        h('div', { class: 'modal-body' }, textObj(c.text)),
        h('div', { class: 'modal-foot' },
          h('button', { type: 'button', class: 'bk-btn', onclick: () => done(false) }, plain(c.deny) || w('cancel')),
          h('button', { type: 'button', class: `bk-btn ${c.style === 'danger' ? 'danger' : 'primary'}`, onclick: () => done(true) }, plain(c.confirm) || w('yes')))));
    document.body.append(overlay);
  });
}

function lightbox(src) {
  const box = h('div', { class: 'lightbox', onclick: () => box.remove() }, h('img', { src, alt: '' }));
  document.body.append(box);
}

// ------------------------------------------------------------------------------------------
// Messages
// ------------------------------------------------------------------------------------------

function messageEl(m, opts) {
  const { channel, compact, inThread } = opts;
  const isEph = opts.ephemeral === true;
  const from = isEph ? m.from : m.user;
  const u = userOf(from);
  const isApp = from === S.state.bot.id || from === 'USLACKBOT';
  const body = h('div', { class: 'msg-body' });
  if (m.command) body.append(h('div', { class: 'cmd-echo', title: w('msg.command') }, commandEcho(m.command)));
  if (m.deleted) body.append(h('div', { class: 'deleted' }, w('msg.deleted')));
  else if (m.blocks?.length) body.append(blocks(m.blocks, { surface: 'message', channel, ts: m.ts }));
  else if (m.text) body.append(h('div', { class: 'msg-text md', html: mrkdwn(m.text) }));
  for (const a of m.attachments || []) body.append(attachment(a, channel, m.ts));
  for (const f of m.files || []) if (!String(f.mimetype).startsWith('image/')) body.append(h('a', { class: 'file-card', href: f.url, target: '_blank' }, '📄 ', f.title || f.name));
  if (!inThread && m.reply_count > 0) {
    const last = m.replies[m.replies.length - 1];
    body.append(h('button', { type: 'button', class: 'replies-link', onclick: () => openThread(channel, m.ts) },
      h('span', { class: 'faces' }, m.reply_users.slice(0, 4).map((id) => avatar(id))),
      h('span', { class: 'n' }, w('msg.replies', { n: m.reply_count })),
      h('span', { class: 'last' }, w('msg.lastReply', { time: fmtTime(last.at) }))));
  }
  if (isEph) {
    body.append(h('div', { class: 'eph-note' }, h('span', { class: 'eye', 'aria-hidden': 'true' }, '👁'), w('msg.onlyYou'),
      h('span', { 'aria-hidden': 'true' }, '·'), h('button', { type: 'button', onclick: () => post('/api/dismiss', { user: S.me, id: m.id }).catch(() => undefined) }, w('msg.dismiss'))));
  }
  // Any message of a conversation can start a thread (not an ephemeral, nor one in the thread pane).
  const actions = !inThread && !isEph && !m.deleted
    ? h('div', { class: 'msg-actions', role: 'group', 'aria-label': w('msg.actions') },
      h('button', { type: 'button', 'aria-label': w('msg.replyInThread'), title: w('msg.replyInThread'), onclick: () => openThread(channel, m.ts) }, w('msg.reply')))
    : null;
  const head = h('div', { class: 'msg-head' },
    h('span', { class: 'msg-name' }, u ? u.realName : from),
    isApp ? h('span', { class: 'app-badge' }, w('msg.app')) : null,
    h('time', { class: 'msg-time', title: fmtFull(m.at), datetime: new Date(m.at).toISOString() }, fmtTime(m.at)),
    m.edited ? h('span', { class: 'edited', title: w('msg.editedAt', { time: fmtFull(m.edited) }) }, w('msg.edited')) : null);
  return h('div', { class: `msg${compact ? ' compact' : ''}${isEph ? ' ephemeral' : ''}`, 'data-ts': m.ts, 'data-user': from, id: isEph ? `eph-${m.id}` : `msg-${m.ts}` },
    h('div', { class: 'gutter' }, avatar(from), h('div', { class: 'hover-time' }, fmtTime(m.at))),
    h('div', {}, head, body),
    actions);
}

function commandEcho(raw) {
  return decode(String(raw).replace(/<@([UW][A-Z0-9_]+)(?:\|([^>]*))?>/g, (_, id, n) => `@${n || userOf(id)?.name || id}`).replace(/<#([CG][A-Z0-9_]+)(?:\|([^>]*))?>/g, (_, id, n) => `#${n || id}`));
}

function attachment(a, channel, ts) {
  return h('div', { class: 'att' }, h('div', { class: 'bar', style: { background: a.color ? (a.color.startsWith('#') ? a.color : { good: '#2eb886', warning: '#daa038', danger: '#a30200' }[a.color] ?? `#${a.color}`) : '#ddd' } }),
    h('div', { class: 'att-body' },
      a.pretext ? h('div', { class: 'md', html: mrkdwn(a.pretext) }) : null,
      a.title ? h('div', { class: 'att-title' }, a.title) : null,
      a.text ? h('div', { class: 'md', html: mrkdwn(a.text) }) : null,
      a.fields?.length ? h('div', { class: 'bk-fields' }, a.fields.map((f) => h('div', {}, h('b', {}, f.title ?? ''), h('div', { class: 'md', html: mrkdwn(f.value ?? '') })))) : null,
      a.blocks?.length ? blocks(a.blocks, { surface: 'message', channel, ts }) : null));
}

/** Top-level messages and this user's ephemerals, merged by ts, with day dividers and grouping. */
function conversationEls(conv, channel) {
  const eph = (conv.ephemerals || []).filter((e) => !e.thread_ts).map((e) => ({ ...e, _eph: true }));
  const items = [...conv.messages, ...eph].sort((a, b) => tsCmp(a.ts, b.ts));
  const out = [];
  let prev = null;
  let lastDay = '';
  for (const m of items) {
    const day = new Date(m.at).toDateString();
    if (day !== lastDay) {
      out.push(h('div', { class: 'day' }, h('span', {}, dayLabel(m.at))));
      lastDay = day;
      prev = null;
    }
    const from = m._eph ? m.from : m.user;
    // Only a person's quick plain follow-ups are folded under one header; an app's posts
    // (a card, then a digest) each keep their own, so none reads as part of the one above.
    const compact = prev && !m._eph && !prev._eph && prev.user === from && m.at - prev.at < 5 * 60_000 && !prev.reply_count && !m.command && !isAppUser(from) && !m.blocks?.length && !m.attachments?.length && !m.files?.length;
    out.push(messageEl(m, { channel, compact, ephemeral: m._eph }));
    prev = m;
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// Rendering
// ------------------------------------------------------------------------------------------

function render() {
  const st = S.state;
  if (!st) return;
  if (S.conv !== 'home' && !st.conversations[S.conv]) S.conv = S.conv.startsWith('U') ? st.me : 'C0SALES';
  document.title = w('page.title', { conv: convTitle(), workspace: st.workspace.name });
  applyChrome();
  renderSwitcher();
  renderNav();
  renderMain();
  renderThread();
  renderModal();
  const demo = $('#demo');
  demo.disabled = st.seeding;
  demo.textContent = st.seeding ? w('demo.loading') : w('demo.load');
}

/** The page's language: the one chosen on this browser, else the workspace's (DEALDESK_LOCALE). */
function lang() {
  const chosen = localStorage.getItem('dd.lang');
  return LANGUAGES.includes(chosen) ? chosen : LANGUAGES.includes(S.state?.locale) ? S.state.locale : 'en';
}

/** A word of the page's chrome in its language (./words.js). */
function w(key, values) {
  return word(lang(), key, values);
}

/** The static page (index.html) in the page's language: every element marked data-w*. */
function applyChrome() {
  const l = lang();
  if (S.chromeLang === l && S.chromeTeam === S.state?.workspace.name) return;
  S.chromeLang = l;
  S.chromeTeam = S.state?.workspace.name;
  document.documentElement.lang = l;
  for (const el of document.querySelectorAll('[data-w]')) el.textContent = w(el.dataset.w);
  for (const el of document.querySelectorAll('[data-w-html]')) el.innerHTML = w(el.dataset.wHtml);
  for (const el of document.querySelectorAll('[data-w-label]')) el.setAttribute('aria-label', w(el.dataset.wLabel));
  for (const el of document.querySelectorAll('[data-w-title]')) el.title = w(el.dataset.wTitle);
  for (const el of document.querySelectorAll('[data-w-placeholder]')) el.placeholder = w(el.dataset.wPlaceholder);
  if (S.state) {
    $('#team-name').textContent = S.state.workspace.name;
    $('#team-logo').textContent = S.state.workspace.name.split(/\s+/).slice(0, 2).map((x) => x[0]).join('').toUpperCase();
  }
  const sw = $('#lang');
  sw.setAttribute('aria-label', w('lang.switch'));
  sw.title = w('lang.switch');
  sw.replaceChildren(...LANGUAGES.map((x) => h('button', { type: 'button', 'data-lang': x, 'aria-pressed': String(x === l), class: x === l ? 'active' : '', onclick: () => chooseLanguage(x) }, word(x, 'lang.name'))));
}

/** The switch on the page: this browser's chrome, and every persona's `/dealdesk language`, so dealdesk answers in it too. */
async function chooseLanguage(l) {
  if (l === lang() && localStorage.getItem('dd.lang') === l) return;
  localStorage.setItem('dd.lang', l);
  S.sigMain = S.sigThread = S.modalKey = '';
  render();
  try {
    await post('/api/language', { locale: l });
    toast(w('lang.switched'), '', 'lang');
    if (S.conv === 'home') post('/api/home', { user: S.me, tab: 'home' }).catch(() => undefined);
  } catch (err) {
    toast(w('err.generic', { error: err.message }), 'error');
  }
}

function convTitle() {
  if (S.conv === 'home') return 'dealdesk';
  const ch = S.state.channels.find((c) => c.id === S.conv);
  return ch ? `#${ch.name}` : 'dealdesk';
}

const roleLabel = (role) => w(`role.${role}`);

function renderSwitcher() {
  const me = userOf(S.state.me);
  const who = $('#who');
  who.replaceChildren(avatar(me.id), h('div', { class: 'who-text' }, h('div', { class: 'who-name' }, me.realName), h('div', { class: 'who-role', title: me.title }, roleLabel(me.role))), h('span', { class: 'chev', 'aria-hidden': 'true' }, '▾'));
  const list = $('#people');
  list.replaceChildren(...S.state.users.filter((u) => !u.isBot).map((u) =>
    h('li', { role: 'option', 'aria-selected': String(u.id === S.me), 'data-user': u.id, tabindex: '-1', onclick: () => switchUser(u.id) },
      avatar(u.id), h('div', { class: 'p-text' }, h('div', { class: 'p-name' }, u.realName), h('div', { class: 'p-role' }, `${roleLabel(u.role)} · @${u.name}`)),
      u.id === S.me ? h('span', { class: 'check', 'aria-hidden': 'true' }, '✓') : null)));
}

function unreadCount(convId) {
  const conv = S.state.conversations[convId];
  if (!conv || convId === S.conv) return 0;
  const seen = seenTs(convId);
  let n = 0;
  for (const m of conv.messages) {
    if (m.user !== S.me && tsCmp(m.ts, seen) > 0) n++;
    for (const r of m.replies || []) if (r.user !== S.me && tsCmp(r.ts, seen) > 0 && convId.startsWith('U')) n++;
  }
  return n;
}

function renderNav() {
  const st = S.state;
  const link = (id, icon, label, extra = {}) => {
    const n = id === 'home' ? 0 : unreadCount(id);
    return h('a', { class: `${S.conv === id ? 'active' : ''}${n ? ' unread' : ''}`, href: `#${id}`, 'data-conv': id, onclick: (ev) => { ev.preventDefault(); go(id); }, ...extra },
      icon, h('span', { class: 'label' }, label), n ? h('span', { class: 'badge' }, n > 99 ? '99+' : String(n)) : null);
  };
  $('#nav').replaceChildren(
    h('h3', {}, w('nav.apps')),
    link('home', h('span', { class: 'hash', 'aria-hidden': 'true' }, '⌂'), w('nav.home')),
    h('h3', {}, w('nav.channels')),
    ...st.channels.map((c) => link(c.id, h('span', { class: 'hash', 'aria-hidden': 'true' }, '#'), c.name)),
    h('h3', {}, w('nav.dms')),
    ...st.dms.map((d) => link(d.id, avatar(st.bot.id, 'mini-avatar'), d.name)));
}

function renderMain() {
  const st = S.state;
  const isHome = S.conv === 'home';
  const isDm = !isHome && S.conv.startsWith('U');
  const ch = st.channels.find((c) => c.id === S.conv);
  const title = $('#conv-title');
  if (ch) title.replaceChildren(h('span', { class: 'hash' }, '#'), ch.name);
  else title.replaceChildren(avatar(st.bot.id, 'mini-avatar'), ' dealdesk', h('span', { class: 'app-badge', style: { marginLeft: '4px' } }, w('msg.app')));
  $('#conv-topic').textContent = ch ? ch.topic : isHome ? w('topic.home') : w('topic.dm');
  $('#conv-members').replaceChildren(...(ch ? [...st.users.filter((u) => !u.isBot).map((u) => avatar(u.id)), avatar(st.bot.id), h('span', { class: 'count' }, String(st.users.filter((u) => u.id !== 'USLACKBOT').length))] : []));
  $('#app-tabs').hidden = !(isHome || isDm);
  $('#tab-home').classList.toggle('active', isHome);
  $('#tab-messages').classList.toggle('active', isDm);
  $('#composer').hidden = isHome;
  // Files go to dealdesk in its DM only (an import of the books, SPEC §6).
  $('#attach').hidden = S.conv !== S.me;
  $('#messages').hidden = isHome;
  $('#home').hidden = !isHome;
  const input = $('#input');
  input.placeholder = ch ? w('input.channel', { channel: ch.name }) : w('input.dm');

  if (isHome) {
    const sig = JSON.stringify(['home', st.me, st.home, lang()]);
    if (sig === S.sigMain) return;
    S.sigMain = sig;
    const home = $('#home');
    if (st.home?.blocks?.length) home.replaceChildren(blocks(st.home.blocks, { surface: 'home', viewId: st.home.id, values: st.home.state?.values }));
    else home.replaceChildren(h('div', { class: 'home-placeholder' }, h('div', { class: 'big' }, '🏠'), h('h2', {}, w('home.emptyTitle')), h('p', {}, w('home.emptyText'))));
    return;
  }

  const conv = st.conversations[S.conv];
  const sig = JSON.stringify([S.conv, st.me, conv, st.users.length, lang()]);
  const last = conv.messages[conv.messages.length - 1];
  if (last) markSeen(S.conv, last.ts);
  if (sig === S.sigMain) return;
  S.sigMain = sig;
  const scroller = $('#scroller');
  const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
  const prevTop = scroller.scrollTop;
  const list = $('#messages');
  const els = conversationEls(conv, S.conv);
  if (els.length === 0) {
    list.replaceChildren(emptyState(ch));
  } else list.replaceChildren(...els);
  if (nearBottom || S.forceBottom) scroller.scrollTop = scroller.scrollHeight;
  else scroller.scrollTop = prevTop;
  S.forceBottom = false;
  for (const img of list.querySelectorAll('img')) img.addEventListener('load', () => { if (nearBottom) scroller.scrollTop = scroller.scrollHeight; }, { once: true });
}

function emptyState(ch) {
  const tips = {
    C0SALES: [w('empty.sales'), w('empty.salesTry')],
    C0LEGAL: [w('empty.legal'), w('empty.legalTry')],
    C0FINANCE: [w('empty.finance'), w('empty.financeTry')],
  };
  const [head, cmd] = ch ? tips[ch.id] ?? ['', '/dealdesk help'] : [w('empty.dmHead'), '/dealdesk help'];
  return h('div', { class: 'empty' }, h('div', { class: 'big' }, ch ? '💬' : '🤝'), h('h2', {}, ch ? w('empty.begin', { channel: ch.name }) : head),
    h('p', {}, ch ? w('empty.try', { head }) : w('empty.dmTry'), h('code', {}, cmd), w('empty.orDemo')));
}

function renderThread() {
  const pane = $('#thread');
  const t = S.thread;
  const conv = t && S.state.conversations[t.channel];
  const root = conv?.messages.find((m) => m.ts === t.ts);
  if (!root) { pane.hidden = true; S.sigThread = ''; return; }
  pane.hidden = false;
  const ch = S.state.channels.find((c) => c.id === t.channel);
  $('#thread-sub').textContent = ch ? `#${ch.name}` : 'dealdesk';
  const eph = (conv.ephemerals || []).filter((e) => e.thread_ts === t.ts).map((e) => ({ ...e, _eph: true }));
  const sig = JSON.stringify([root, eph, S.me, lang()]);
  if (sig === S.sigThread) return;
  S.sigThread = sig;
  const body = $('#thread-body');
  const nearBottom = body.scrollHeight - body.scrollTop - body.clientHeight < 120;
  const replies = [...root.replies, ...eph].sort((a, b) => tsCmp(a.ts, b.ts));
  let prev = null;
  body.replaceChildren(
    messageEl({ ...root, reply_count: 0 }, { channel: t.channel, inThread: true }),
    root.reply_count ? h('div', { class: 'thread-count' }, w('msg.replies', { n: root.reply_count })) : null,
    ...replies.map((m) => {
      const from = m._eph ? m.from : m.user;
      const compact = prev && !m._eph && !prev._eph && prev.user === from && m.at - prev.at < 5 * 60_000;
      prev = m;
      return messageEl(m, { channel: t.channel, inThread: true, compact, ephemeral: m._eph });
    }));
  if (nearBottom || S.threadBottom) body.scrollTop = body.scrollHeight;
  S.threadBottom = false;
}

function renderModal() {
  const stack = S.state.modals || [];
  const top = stack[stack.length - 1];
  const root = $('#modal-root');
  if (!top) { root.replaceChildren(); S.modalKey = ''; return; }
  const key = JSON.stringify([S.me, top.id, top.hash, top.blocks, top.title, top.submit, lang()]);
  const existing = $('.modal', root);
  if (key === S.modalKey && existing) {
    // Same view: keep what was typed, refresh only the errors.
    applyErrors(existing, top.errors || {});
    return;
  }
  S.modalKey = key;
  const values = top.state?.values;
  const ctx = { surface: 'modal', viewId: top.id, errors: top.errors || {}, values };
  const bodyEl = h('div', { class: 'modal-body' });
  if (top.errors?._) bodyEl.append(h('div', { class: 'modal-banner', role: 'alert' }, top.errors._));
  bodyEl.append(blocks(top.blocks, ctx));
  const closeOne = () => post('/api/close', { user: S.me, viewId: top.id }).catch((e) => toast(e.message, 'error'));
  const closeAll = () => post('/api/close', { user: S.me, viewId: top.id, all: true }).catch((e) => toast(e.message, 'error'));
  const submitBtn = top.submit ? h('button', { type: 'submit', class: 'bk-btn primary', 'data-role': 'submit' }, plain(top.submit)) : null;
  const form = h('form', { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'modal-title', 'data-view-id': top.id, novalidate: true },
    h('div', { class: 'modal-head' },
      stack.length > 1 ? h('button', { type: 'button', class: 'icon-btn', 'aria-label': w('back'), title: w('back'), onclick: closeOne }, '←') : avatar(S.state.bot.id, 'app-ico'),
      h('h2', { class: 'modal-title', id: 'modal-title' }, plain(top.title) || 'dealdesk'),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': w('close'), title: w('close'), onclick: closeAll }, '✕')),
    bodyEl,
    h('div', { class: 'modal-foot' },
      h('button', { type: 'button', class: 'bk-btn', 'data-role': 'close', onclick: closeOne }, plain(top.close) || (top.submit ? w('cancel') : w('close'))),
      submitBtn));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!submitBtn || submitBtn.classList.contains('busy')) return;
    submitBtn.classList.add('busy');
    try {
      const r = await post('/api/submit', { user: S.me, viewId: top.id, values: collect(form), lang: lang() });
      if (r.errors) applyErrors(form, r.errors);
    } catch (err) {
      toast(w('err.submit', { error: err.message }), 'error');
    } finally {
      submitBtn.classList.remove('busy');
    }
  });
  const focusFirst = !existing || existing.dataset.viewId !== top.id;
  root.replaceChildren(h('div', { class: 'overlay', onmousedown: (ev) => { if (ev.target === ev.currentTarget) { /* Slack does not close on outside clicks */ } } }, form));
  if (focusFirst) setTimeout(() => form.querySelector('input:not([type=checkbox]):not([type=radio]), textarea, select')?.focus(), 30);
}

function applyErrors(form, errors) {
  for (const wrap of form.querySelectorAll('.bk-input')) {
    const msg = errors[wrap.dataset.blockId];
    wrap.classList.toggle('has-error', Boolean(msg));
    wrap.querySelector('.bk-error')?.remove();
    if (msg) {
      const err = h('div', { class: 'bk-error', role: 'alert' }, msg);
      const hint = wrap.querySelector('.bk-hint');
      if (hint) hint.before(err);
      else wrap.append(err);
    }
  }
  const banner = form.querySelector('.modal-banner');
  if (errors._ && !banner) form.querySelector('.modal-body').prepend(h('div', { class: 'modal-banner', role: 'alert' }, errors._));
  if (!errors._) banner?.remove();
  form.querySelector('.has-error input, .has-error textarea, .has-error select')?.focus();
}

// ------------------------------------------------------------------------------------------
// Navigation and people
// ------------------------------------------------------------------------------------------

/** The sidebar as an overlay, on screens too narrow to show it beside the conversation. */
function setNav(open) {
  $('#app').classList.toggle('nav-open', open);
  $('#menu').setAttribute('aria-expanded', String(open));
  if (open) $('#nav a.active, #nav a')?.focus();
}
function navOpen() {
  return $('#app').classList.contains('nav-open');
}

function closePeople(focusWho = false) {
  $('#people').hidden = true;
  $('#who').setAttribute('aria-expanded', 'false');
  if (focusWho) $('#who').focus();
}

function go(conv) {
  if (navOpen()) setNav(false);
  if (S.conv === conv) return;
  S.conv = conv;
  S.sigMain = '';
  S.forceBottom = true;
  if (S.thread && S.thread.channel !== conv) S.thread = null;
  history.replaceState(null, '', `${location.pathname}${location.search}#${encodeURIComponent(conv)}`);
  render();
  if (conv === 'home') post('/api/home', { user: S.me, tab: 'home' }).catch(() => undefined);
  else if (conv.startsWith('U')) post('/api/home', { user: S.me, tab: 'messages' }).catch(() => undefined);
  if (conv !== 'home') $('#input').focus();
}

function openThread(channel, ts) {
  S.thread = { channel, ts };
  S.sigThread = '';
  S.threadBottom = true;
  renderThread();
  $('#thread-input').focus();
}

async function switchUser(id) {
  closePeople();
  if (id === S.me) return;
  const wasDm = S.conv.startsWith('U');
  S.me = id;
  localStorage.setItem('dd.user', id);
  const url = new URL(location.href);
  url.searchParams.set('user', id);
  if (wasDm) url.hash = id;
  history.replaceState(null, '', url);
  if (wasDm) S.conv = id;
  S.thread = null;
  S.sigMain = S.sigThread = S.modalKey = '';
  connect();
  await refresh();
  const who = userOf(id);
  toast(w('whoami', { name: who.realName, role: roleLabel(who.role).toLocaleLowerCase(lang()) }), '', 'who');
  if (S.conv === 'home') post('/api/home', { user: S.me, tab: 'home' }).catch(() => undefined);
}

// ------------------------------------------------------------------------------------------
// Composer: slash commands, hints, history
// ------------------------------------------------------------------------------------------

function hintItems(text) {
  const cmds = S.state?.commands || [];
  if (!text.startsWith('/')) return null;
  const [word, ...rest] = text.split(/\s/);
  if (rest.length === 0) {
    const list = cmds.filter((c) => c.command.startsWith(word.toLowerCase()));
    return list.length ? { kind: 'commands', list } : null;
  }
  const cmd = cmds.find((c) => c.command === word.toLowerCase());
  return cmd ? { kind: 'usage', cmd } : null;
}

function renderHints() {
  const input = $('#input');
  const text = input.value;
  input.classList.toggle('is-command', text.startsWith('/'));
  const box = $('#hints');
  const items = hintItems(text);
  if (!items) { box.hidden = true; return; }
  box.hidden = false;
  if (items.kind === 'usage') {
    box.replaceChildren(h('li', { class: 'usage-line' }, h('b', {}, items.cmd.command), ' ', items.cmd.usage || 'help'));
    return;
  }
  S.hintIndex = Math.min(S.hintIndex, items.list.length - 1);
  box.replaceChildren(
    h('li', { class: 'hints-title' }, w('hints.matching'), h('code', {}, text.split(/\s/)[0])),
    ...items.list.map((c, i) => h('li', { class: `hint${i === S.hintIndex ? ' active' : ''}`, role: 'option', onmousedown: (ev) => { ev.preventDefault(); complete(c.command); } },
      avatar(S.state.bot.id, 'h-icon'),
      h('div', { class: 'h-cmd' }, c.command, ' ', h('span', { class: 'usage' }, c.usage)),
      h('div', { class: 'h-desc' }, `${lang() === 'en' ? c.description : w(`cmd.${c.command}`)} · dealdesk`))));
}

function complete(command) {
  const input = $('#input');
  input.value = `${command} `;
  S.hintIndex = 0;
  renderHints();
  autosize(input);
  input.focus();
}

function autosize(t) {
  t.style.height = 'auto';
  t.style.height = `${Math.min(t.scrollHeight, 180)}px`;
}

async function send(text) {
  const channel = S.conv;
  if (text.startsWith('/')) {
    S.history = [text, ...S.history.filter((x) => x !== text)].slice(0, 30);
    sessionStorage.setItem('dd.history', JSON.stringify(S.history));
    S.forceBottom = true;
    const r = await post('/api/command', { user: S.me, channel, text, lang: lang() });
    if (!r.ok && r.error === 'operation_timeout') toast(w('err.timeout'), 'error');
  } else {
    S.forceBottom = true;
    await post('/api/message', { user: S.me, channel, text });
  }
}

function setupComposer() {
  const input = $('#input');
  input.addEventListener('input', () => { S.hintIndex = 0; S.historyAt = -1; renderHints(); autosize(input); });
  input.addEventListener('keydown', (ev) => {
    const items = hintItems(input.value);
    const open = !$('#hints').hidden && items?.kind === 'commands';
    if (open && (ev.key === 'ArrowDown' || ev.key === 'ArrowUp')) {
      ev.preventDefault();
      S.hintIndex = (S.hintIndex + (ev.key === 'ArrowDown' ? 1 : -1) + items.list.length) % items.list.length;
      renderHints();
      return;
    }
    if (open && (ev.key === 'Tab' || (ev.key === 'Enter' && !input.value.includes(' ') && items.list[S.hintIndex]?.command !== input.value.trim()))) {
      ev.preventDefault();
      complete(items.list[S.hintIndex].command);
      return;
    }
    if (ev.key === 'ArrowUp' && (input.value === '' || S.historyAt >= 0) && S.history.length) {
      ev.preventDefault();
      S.historyAt = Math.min(S.historyAt + 1, S.history.length - 1);
      input.value = S.history[S.historyAt];
      renderHints();
      autosize(input);
      return;
    }
    if (ev.key === 'ArrowDown' && S.historyAt >= 0) {
      ev.preventDefault();
      S.historyAt -= 1;
      input.value = S.historyAt >= 0 ? S.history[S.historyAt] : '';
      renderHints();
      autosize(input);
      return;
    }
    if (ev.key === 'Escape') { $('#hints').hidden = true; return; }
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      $('#composer').requestSubmit();
    }
  });
  input.addEventListener('blur', () => setTimeout(() => { $('#hints').hidden = true; }, 120));
  input.addEventListener('focus', renderHints);
  $('#composer').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    S.historyAt = -1;
    renderHints();
    autosize(input);
    send(text).catch((err) => {
      toast(w('err.notSent', { error: err.message }), 'error');
      if (!input.value) input.value = text;
    });
  });

  $('#attach-file').addEventListener('change', async (ev) => {
    const file = ev.target.files && ev.target.files[0];
    ev.target.value = '';
    if (!file) return;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      S.forceBottom = true;
      await post('/api/file', { user: S.me, channel: S.conv, name: file.name, data: btoa(bin) });
    } catch (err) {
      toast(`Not shared: ${err.message}`, 'error');
    }
  });

  const tin = $('#thread-input');
  tin.addEventListener('input', () => autosize(tin));
  tin.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); $('#thread-composer').requestSubmit(); }
  });
  $('#thread-composer').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = tin.value.trim();
    if (!text || !S.thread) return;
    if (text.startsWith('/')) { toast(w('err.threadCommand')); return; }
    tin.value = '';
    autosize(tin);
    S.threadBottom = true;
    post('/api/message', { user: S.me, channel: S.thread.channel, text, threadTs: S.thread.ts }).catch((err) => toast(w('err.notSent', { error: err.message }), 'error'));
  });
}

// ------------------------------------------------------------------------------------------
// Start
// ------------------------------------------------------------------------------------------

function setup() {
  setupComposer();
  $('#who').addEventListener('click', (ev) => {
    ev.stopPropagation();
    const list = $('#people');
    list.hidden = !list.hidden;
    $('#who').setAttribute('aria-expanded', String(!list.hidden));
  });
  $('#menu').addEventListener('click', () => setNav(!navOpen()));
  $('#nav-backdrop').addEventListener('click', () => setNav(false));
  document.addEventListener('click', (ev) => {
    if (!ev.target.closest('.switcher')) closePeople();
    const goto = ev.target.closest('[data-goto]');
    if (goto && S.state?.conversations[goto.dataset.goto]) go(goto.dataset.goto);
  });
  $('#thread-close').addEventListener('click', () => { S.thread = null; renderThread(); });
  $('#tab-home').addEventListener('click', () => go('home'));
  $('#tab-messages').addEventListener('click', () => go(S.me));
  $('#demo').addEventListener('click', async () => {
    const btn = $('#demo');
    btn.disabled = true;
    btn.textContent = w('demo.loading');
    try {
      const r = await post('/api/demo', {});
      // A refusal says how to start afresh: long enough on screen to read it.
      if (r.skipped) toast(w('demo.skipped', { n: r.existing }), '', 'demo', 15000);
      else toast(w('demo.ready', { clients: r.clients, contracts: r.contracts, invoices: r.invoices, seconds: r.seconds }), '', 'demo');
    } catch (err) {
      toast(w('demo.failed', { error: err.message }), 'error');
    } finally {
      btn.disabled = false;
      btn.textContent = w('demo.load');
    }
  });
  // Escape closes the innermost thing open: a modal, the user switcher, the menu, the thread.
  document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape') return;
    const modal = $('#modal-root .modal');
    if (modal) { modal.querySelector('[data-role=close]')?.click(); return; }
    if (!$('#people').hidden) { closePeople(true); return; }
    if (navOpen()) { setNav(false); $('#menu').focus(); return; }
    if (S.thread) { S.thread = null; renderThread(); }
  });
  window.addEventListener('hashchange', () => {
    const conv = decodeURIComponent(location.hash.slice(1));
    if (conv && conv !== S.conv) go(conv);
  });
  localStorage.setItem('dd.user', S.me);
  connect();
  refresh()
    .then(() => {
      if (S.conv === 'home') post('/api/home', { user: S.me, tab: 'home' }).catch(() => undefined);
    })
    .catch((err) => toast(w('err.load', { error: err.message }), 'error'));
}

setup();
