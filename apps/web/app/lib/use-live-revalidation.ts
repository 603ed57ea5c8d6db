import { useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";

import { usePollWhile } from "./use-poll-while";

/** The tRPC subscription's server-sent-events URL (same origin: the session cookie goes along). */
const EVENTS_URL = "/api/trpc/models.events";
/** Events that arrive together (progress, stored, notification) cause one reload. */
const COALESCE_MS = 200;

interface EventSourceLike {
  onmessage: ((event: { data: string }) => void) | null;
  addEventListener(type: string, listener: () => void): void;
  close(): void;
}
type EventSourceConstructor = new (url: string) => EventSourceLike;
/** How the page follows changes: opening the stream, following it, or polling without it. */
export type LiveUpdates = "connecting" | "on" | "off";

function modelIdOf(data: string): string | null {
  try {
    const parsed = JSON.parse(data) as { model_id?: unknown };
    return typeof parsed.model_id === "string" ? parsed.model_id : null;
  } catch {
    return null;
  }
}

/**
 * Reloads the page's data when one of the user's models changes (models.events over
 * server-sent events): copy progress, stored, failed, deleted, a new notification. With
 * `modelId`, only that model's events count. The stream is open only while `active`. Where live events are not available (no
 * EventSource, the server has them off, the stream broke for good) it polls while `active`.
 * Returns how it follows them, for the page to show (and a test to wait for).
 */
export function useLiveRevalidation(options: { active: boolean; modelId?: string }): LiveUpdates {
  const revalidator = useRevalidator();
  const [live, setLive] = useState<LiveUpdates>("connecting");
  const { active, modelId } = options;

  useEffect(() => {
    // A stream only while something moves: each open stream holds one of the browser's few
    // HTTP/1.1 connections to this origin.
    if (!active) return;
    const EventSourceClass = (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
    if (!EventSourceClass) {
      setLive("off");
      return;
    }
    const source = new EventSourceClass(EVENTS_URL);
    let pending: ReturnType<typeof setTimeout> | null = null;
    source.addEventListener("connected", () => setLive("on"));
    // An error the server sends (live events off here, the session ended): poll instead.
    source.addEventListener("serialized-error", () => {
      source.close();
      setLive("off");
    });
    source.onmessage = (event) => {
      const id = modelIdOf(event.data);
      if (modelId && id !== null && id !== modelId) return;
      pending ??= setTimeout(() => {
        pending = null;
        revalidator.revalidate();
      }, COALESCE_MS);
    };
    return () => {
      if (pending) clearTimeout(pending);
      source.close();
    };
    // The revalidator changes identity on every render; the stream must not be reopened then.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, modelId]);

  usePollWhile(active && live !== "on");
  return live;
}
