// The pieces every page uses: its title (h1, document title, focus on arrival), loading and errors.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { ApiError } from "../api/client";
import { t } from "../i18n";

// The first page of a visit leaves focus at the start (skip link first); later pages move it to their title,
// so a screen reader announces where a link led.
let firstPage = true;

export function Page(props: { title: string; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · ${t("app.title")}`;
  }, [props.title]);
  useEffect(() => {
    if (firstPage) firstPage = false;
    else heading.current?.focus({ preventScroll: false });
  }, []);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {props.title}
      </h1>
      {props.children}
    </>
  );
}

/** An error from the API, shown as such: its status and its message. */
export function ErrorView(props: { error: ApiError | undefined; onRetry?: () => void }) {
  if (!props.error) return null;
  return (
    <div class="error" role="alert">
      <p>{props.error.status ? t("app.error", { status: props.error.status, message: props.error.message }) : props.error.message}</p>
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          {t("app.retry")}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  return (
    <p class="loading" role="status">
      {t("app.loading")}
    </p>
  );
}

/** A short confirmation after a change, read out by screen readers. */
export function Notice(props: { text: string | null }) {
  return (
    <p class="notice" role="status" aria-live="polite">
      {props.text ?? ""}
    </p>
  );
}
