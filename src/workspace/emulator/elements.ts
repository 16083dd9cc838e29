/**
 * The element a person clicked, and the `actions[0]` Slack sends for it. Used by the emulator's
 * blockAction and by the local workspace's page (../server.ts), re-exported by ../emulator.ts.
 */

export interface ElementHit {
  block: any;
  element: any;
  index: number;
}

/** The block_id Slack reports for `block`: its own, or the one Slack makes up when the app gave none. */
export function blockIdAt(block: any, index: number): string {
  return block?.block_id ?? `emu${index}`;
}

/**
 * The interactive element `actionId` among `blocks`. A message may repeat an action_id in
 * several blocks (one Done button per task), so `blockId` — as blockIdAt reports it — picks the
 * block, as Slack's block_id does; a button's `value`, when given, must match too.
 */
export function findElement(blocks: readonly any[], actionId: string, blockId?: string, value?: string): ElementHit | undefined {
  for (const [index, block] of blocks.entries()) {
    if (blockId !== undefined && blockId !== '' && blockIdAt(block, index) !== blockId) continue;
    const candidates = [...(Array.isArray(block?.elements) ? block.elements : []), block?.accessory, block?.element].filter(Boolean);
    const element = candidates.find((e: any) => e.action_id === actionId && (value === undefined || e.type !== 'button' || e.value === value));
    if (element) return { block, element, index };
  }
  return undefined;
}

function allOptions(el: any): any[] {
  return [...(el.options ?? []), ...(el.option_groups ?? []).flatMap((g: any) => g.options ?? [])];
}

export function optionFor(el: any, value: unknown): any {
  return allOptions(el).find((o) => o.value === value) ?? null;
}

/** `actions[0]` of a block_actions payload for a click on `hit` (`selected`/`value`: what was picked). */
export function actionPayload(hit: ElementHit, p: { value?: string; selected?: unknown }, actionTs: string = (Date.now() / 1000).toFixed(6)): Record<string, unknown> {
  const el = hit.element;
  const base = { type: el.type, action_id: el.action_id, block_id: blockIdAt(hit.block, hit.index), action_ts: actionTs };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
  switch (el.type) {
    case 'button':
      return { ...base, text: el.text, ...(el.value !== undefined ? { value: el.value } : {}), ...(el.style ? { style: el.style } : {}) };
    case 'static_select':
    case 'radio_buttons':
    case 'overflow':
      return { ...base, selected_option: optionFor(el, p.selected ?? p.value) };
    case 'multi_static_select':
    case 'checkboxes':
      return { ...base, selected_options: list(p.selected).map((v) => optionFor(el, v)).filter(Boolean) };
    case 'datepicker':
      return { ...base, selected_date: p.selected ?? p.value ?? null };
    case 'timepicker':
      return { ...base, selected_time: p.selected ?? p.value ?? null };
    case 'users_select':
      return { ...base, selected_user: p.selected ?? p.value ?? null };
    case 'conversations_select':
      return { ...base, selected_conversation: p.selected ?? p.value ?? null };
    case 'channels_select':
      return { ...base, selected_channel: p.selected ?? p.value ?? null };
    default:
      return { ...base, value: p.value ?? p.selected ?? null };
  }
}
