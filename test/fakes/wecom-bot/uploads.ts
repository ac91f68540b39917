/**
 * The fake's media upload, as the SDK performs it: init (type, filename, size, chunk count, md5) →
 * chunks (≤ 512 KB before base64, index within the count) → finish (all chunks, size and md5 match).
 */
import { createHash, randomUUID } from "node:crypto";
import { BOT_ERR, type FakeBotState } from "./state.ts";

type Answer = { errcode: number; body?: unknown };
const ok = (body?: unknown): Answer => ({ errcode: 0, body });
const err = (errcode: number): Answer => ({ errcode });
const CHUNK_MAX = 512 * 1024;

export function uploadInit(state: FakeBotState, b: Record<string, unknown>): Answer {
  const total = Number(b.total_chunks);
  if (!b.filename || !b.type || !Number.isInteger(total) || total < 1 || total > 100)
    return err(BOT_ERR.BAD_MEDIA);
  const uploadId = `up_${randomUUID()}`;
  state.uploads.set(uploadId, {
    type: String(b.type),
    filename: String(b.filename),
    totalSize: Number(b.total_size),
    totalChunks: total,
    md5: String(b.md5 ?? ""),
    chunks: new Map(),
  });
  return ok({ upload_id: uploadId });
}

export function uploadChunk(state: FakeBotState, b: Record<string, unknown>): Answer {
  const up = state.uploads.get(String(b.upload_id));
  const i = Number(b.chunk_index);
  const bytes = Buffer.from(String(b.base64_data ?? ""), "base64");
  if (!up || !Number.isInteger(i) || i < 0 || i >= up.totalChunks || bytes.length > CHUNK_MAX)
    return err(BOT_ERR.BAD_MEDIA);
  up.chunks.set(i, bytes);
  return ok();
}

export function uploadFinish(state: FakeBotState, b: Record<string, unknown>): Answer {
  const id = String(b.upload_id);
  const up = state.uploads.get(id);
  if (!up || up.chunks.size !== up.totalChunks) return err(BOT_ERR.BAD_MEDIA);
  const bytes = Buffer.concat([...up.chunks.entries()].sort((a, z) => a[0] - z[0]).map((e) => e[1]));
  if (bytes.length !== up.totalSize) return err(BOT_ERR.BAD_MEDIA);
  if (up.md5 && createHash("md5").update(bytes).digest("hex") !== up.md5) return err(BOT_ERR.BAD_MEDIA);
  state.uploads.delete(id);
  const mediaId = `media_${randomUUID()}`;
  state.media.set(mediaId, { type: up.type, filename: up.filename, bytes });
  return ok({ type: up.type, media_id: mediaId, created_at: String(Math.floor(Date.now() / 1000)) });
}
