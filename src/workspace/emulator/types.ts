/**
 * The emulator's public types and the constants of its (fake) workspace. Re-exported by
 * ../emulator.ts, which is where the tests and the local workspace import them from.
 */

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** One Web API call received by the emulator. */
export interface ApiCall {
  method: string;
  /** Arguments, with JSON-carrying fields (blocks, view, …) parsed back; `token` is moved out. */
  args: Record<string, any>;
  /** From `Authorization: Bearer …`, else from a `token` body field. */
  token?: string;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** True when the call was answered by a `failNext()` failure instead of the normal handler. */
  failed?: boolean;
  /** The JSON body the emulator answered with (for failNext with a non-JSON body: that body). */
  response?: any;
}

/** One POST the app made to a `response_url` (e.g. via Bolt's `respond()`). */
export interface ResponseUrlPost {
  /** The id in `/response/<id>`; equals the `responseUrlId` returned by slashCommand/blockAction. */
  id: string;
  /** Parsed JSON body (raw text if it was not JSON). */
  body: any;
  at: number;
}

/** The bot's HTTP answer to one of our deliveries (i.e. what its 3-second `ack()` produced). */
export interface BotReply {
  status: number;
  /** Parsed JSON when the answer is JSON, else the raw text ('' for an empty ack). */
  body: any;
  /** Raw answer text. */
  text: string;
}

export interface SendOpts {
  /** Sets `X-Slack-Retry-Num` (Slack's redelivery of an unacknowledged request). */
  retryNum?: number;
  /** `X-Slack-Retry-Reason`; defaults to "http_timeout" when retryNum is set. */
  retryReason?: string;
  /** Unix seconds for `X-Slack-Request-Timestamp` (and the signature), to forge stale requests. */
  timestamp?: number;
  /** Sign with another secret, to forge. */
  secret?: string;
  /** Send without X-Slack-Signature / X-Slack-Request-Timestamp. */
  unsigned?: boolean;
}

export interface EmulatedUser {
  name?: string;
  real_name?: string;
  tz?: string;
  is_bot?: boolean;
}

/** A canned HTTP answer used by failNext(). */
export interface FailureAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Object → JSON; string → sent as is; omitted → `{ ok: false, error: "ratelimited" | "http_<status>" }`. */
  body?: any;
  /** Only calls whose arguments this picks get the failure (say, one channel's); others pass. */
  when?: (args: Record<string, any>) => boolean;
}

/** Custom Web API method implementation; return the full JSON answer (including `ok`). */
export type MethodHandler = (args: Record<string, any>, call: ApiCall) => Record<string, any>;

export interface StartOpts {
  signingSecret: string;
  botToken?: string;
  /** Unix seconds of the first message ts (default 1700000000). The local workspace uses the
   *  wall clock, so message ts stay unique across restarts on the same database. */
  tsBase?: number;
  /** Keep at most this many recorded calls and response_url POSTs (oldest dropped); default: all. */
  keepCalls?: number;
}

/** A file shared into a conversation (files.completeUploadExternal with a channel_id). */
export interface ConvFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  size: number;
  /** Where the bytes are served, relative to the emulator's (and the workspace's) base URL. */
  url: string;
}

/** A message as a Slack client shows it. */
export interface ConvMessage {
  ts: string;
  /** Conversation key: the channel id, or the user's id for a DM with the bot. */
  channel: string;
  /** Who posted it: EMU_BOT_USER_ID for the bot, else a user id. */
  user: string;
  text: string;
  blocks?: any[];
  attachments?: any[];
  /** Set on thread replies (the parent's ts); a parent has `thread_ts === ts` once replied to. */
  thread_ts?: string;
  reply_broadcast?: boolean;
  files?: ConvFile[];
  /** Wall-clock ms it was posted / last edited. */
  at: number;
  edited?: number;
  /** A deleted parent that still has replies shows as a tombstone. */
  deleted?: boolean;
  /** For an `in_channel` answer to a slash command: the command as typed. */
  command?: string;
}

/** A message only one user sees ("Only visible to you"). */
export interface ConvEphemeral {
  id: string;
  ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: any[];
  thread_ts?: string;
  at: number;
  /** The slash command it answers, as typed. */
  command?: string;
  /** Who it is shown as from (the bot, or USLACKBOT for the platform's own notices). */
  from: string;
  /** The response_url it came through, if any. */
  responseUrlId?: string;
}

/** A modal or Home tab view, as stored (the Web API's view object, plus what the user sees). */
export interface ConvView {
  id: string;
  type: string;
  title?: any;
  submit?: any;
  close?: any;
  blocks: any[];
  callback_id: string;
  private_metadata: string;
  external_id: string;
  hash: string;
  state: { values: Record<string, Record<string, any>> };
  notify_on_close: boolean;
  clear_on_close: boolean;
  previous_view_id: string | null;
  root_view_id: string;
  /** `response_action: errors` from the last submission, by block_id. */
  errors?: Record<string, string>;
}

/** What changed; `'change'` listeners get one of these. */
export interface StateChange {
  kind: 'message' | 'ephemeral' | 'home' | 'modal' | 'file' | 'reset';
  channel?: string;
  user?: string;
  ts?: string;
  viewId?: string;
  fileId?: string;
}

/** The durable part of the conversation state (what a Slack client shows after a reload). */
export interface EmulatorSnapshot {
  version: 1;
  seq: number;
  tsBase: number;
  messages: ConvMessage[];
  homes: [string, ConvView][];
  files: [string, { name: string; title?: string; length?: number }][];
}

// ---------------------------------------------------------------------------------------------
// Constants mirroring a (fake) workspace
// ---------------------------------------------------------------------------------------------

export const EMU_TEAM_ID = 'T0001';
export const EMU_TEAM_DOMAIN = 'emulated';
export const EMU_BOT_USER_ID = 'UBOT';
export const EMU_BOT_ID = 'BBOT';
export const EMU_APP_ID = 'A0EMULATED';
/** The legacy "verification token" Slack still includes in payloads. */
export const EMU_VERIFICATION_TOKEN = 'emulated-verification-token';
