/** Small helpers shared by the parts of the emulator. */
import type { ConvView } from './types.ts';

export function tsFor(base: number, n: number): string {
  const micros = n * 100;
  return `${base + Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

export function defaultChannelName(id: string): string {
  if (id.startsWith('D')) return 'directmessage';
  return id.toLowerCase().replace(/^c_?/, '') || 'general';
}

export function compareTs(a: string, b: string): number {
  const [as = '0', af = '0'] = a.split('.');
  const [bs = '0', bf = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}

export function blocksOf(a: Record<string, any>): { blocks?: any[]; attachments?: any[] } {
  return {
    ...(Array.isArray(a.blocks) ? { blocks: a.blocks } : {}),
    ...(Array.isArray(a.attachments) ? { attachments: a.attachments } : {}),
  };
}

export function toConvView(v: Record<string, any>): ConvView {
  return {
    id: String(v.id),
    type: String(v.type ?? 'modal'),
    title: v.title,
    submit: v.submit ?? null,
    close: v.close ?? null,
    blocks: Array.isArray(v.blocks) ? v.blocks : [],
    callback_id: String(v.callback_id ?? ''),
    private_metadata: String(v.private_metadata ?? ''),
    external_id: String(v.external_id ?? ''),
    hash: String(v.hash ?? ''),
    state: { values: {} },
    notify_on_close: v.notify_on_close === true,
    clear_on_close: v.clear_on_close === true,
    previous_view_id: v.previous_view_id ?? null,
    root_view_id: String(v.root_view_id ?? v.id),
  };
}

export function mimeOf(name: string): string {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  const types: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', svg: 'image/svg+xml', webp: 'image/webp', pdf: 'application/pdf', csv: 'text/csv', txt: 'text/plain' };
  return types[ext] ?? 'application/octet-stream';
}

export function hasContent(a: Record<string, any>): boolean {
  return Boolean(a.text) || (Array.isArray(a.blocks) && a.blocks.length > 0) || (Array.isArray(a.attachments) && a.attachments.length > 0);
}

export function parseJsonOr(text: string): any {
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Map.set with a bound on the entries kept (trigger ids and response_urls are short-lived). */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, max = 5000): void {
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) break;
    map.delete(oldest.value);
  }
}

/** Action/event timestamps use the wall clock, like Slack. */
export function nowTs(): string {
  const us = Date.now() * 1000;
  return `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
}
