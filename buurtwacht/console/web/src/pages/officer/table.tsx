// A table that may scroll sideways on a phone: a named region that the keyboard can reach and scroll.
import type { ComponentChildren } from "preact";

export function TableBox(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={props.label}>
      {props.children}
    </div>
  );
}
