// The group's settings: its name and description, how long notes are kept, the sign-up windows and patrol rules
// (GET/PATCH /api/v1/groups/{id}), and the categories it uses, which are also the summary's priorities
// (GET/PUT /api/v1/groups/{id}/categories). The API checks every value: its 422 messages stand beside the fields.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, ok, type ApiError, type Schemas } from "../../api/client";
import { ErrorView, Loading, Notice, Page } from "../../components/ui";
import { useAction, useLoad } from "../../hooks";
import { lang, t, type Key } from "../../i18n";
import "./summary.css";

/** webargs' `errors` ({"json": {"patrol_settings": {"no_show_limit": ["..."]}}}) as messages by dotted field name. */
export function fieldErrors(error: ApiError | undefined): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (value: unknown, path: string[]) => {
    if (Array.isArray(value)) {
      const texts = value.filter((v): v is string => typeof v === "string");
      if (texts.length) found[path.join(".")] = texts.join(" ");
      value.filter((v) => typeof v === "object" && v !== null).forEach((v) => walk(v, path));
    } else if (typeof value === "string") {
      found[path.join(".")] = value;
    } else if (typeof value === "object" && value !== null) {
      for (const [key, inner] of Object.entries(value)) walk(inner, path.length === 0 && key === "json" ? [] : [...path, key]);
    }
  };
  if (error?.status === 422) walk(error.errors, []);
  return found;
}

interface Fields {
  name: string;
  description: string;
  retention: string;
  signupOpens: string;
  withdrawUntil: string;
  weeksAhead: string;
  noShowLimit: string;
}

function fieldsOf(group: Schemas["Group"]): Fields {
  const p = group.patrol_settings;
  return {
    name: group.name,
    description: group.description,
    retention: String(group.note_retention_months),
    signupOpens: String(p.signup_opens_days),
    withdrawUntil: String(p.withdraw_until_hours),
    weeksAhead: String(p.schedule_weeks_ahead),
    noShowLimit: p.no_show_limit === null ? "" : String(p.no_show_limit),
  };
}

/** A typed whole number as the API should read it; anything else goes as typed, for the API to refuse. */
function whole(value: string): number {
  const trimmed = value.trim();
  if (trimmed === "") return null as unknown as number;
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : (trimmed as unknown as number);
}

/** A label, its input and the API's message for it right below, tied to the input by aria-describedby. */
function Field(props: {
  id: string;
  field: string;
  label: string;
  hint?: string;
  errors: Record<string, string>;
  children: (a11y: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ComponentChildren;
}) {
  const message = props.errors[props.field];
  const described = [props.hint ? `${props.id}-hint` : "", message ? `${props.id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children({ id: props.id, "aria-invalid": Boolean(message), "aria-describedby": described || undefined })}
      {message && (
        <p class="field-error" id={`${props.id}-error`}>
          {message}
        </p>
      )}
      {props.hint && (
        <p class="muted hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

export function Settings(props: { groupId: string; groupName: string }) {
  const group = useLoad(() => ok(api.GET("/api/v1/groups/{group_id}", { params: { path: { group_id: props.groupId } } })), [
    props.groupId,
  ]);
  return (
    <Page title={t("settings.title", { group: group.data?.name ?? props.groupName })}>
      {group.loading && !group.data && <Loading />}
      <ErrorView error={group.error} onRetry={group.reload} />
      {group.data && <GroupForm group={group.data} groupId={props.groupId} onSaved={group.reload} />}
      {group.data && <Categories groupId={props.groupId} />}
    </Page>
  );
}

function GroupForm(props: { group: Schemas["Group"]; groupId: string; onSaved: () => void }) {
  const [fields, setFields] = useState<Fields>(() => fieldsOf(props.group));
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAction();
  const errors = fieldErrors(action.error);
  const change = (next: Partial<Fields>) => setFields({ ...fields, ...next });
  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(null);
    const done = await action.run(() =>
      ok(
        api.PATCH("/api/v1/groups/{group_id}", {
          params: { path: { group_id: props.groupId } },
          body: {
            name: fields.name,
            description: fields.description,
            note_retention_months: whole(fields.retention),
            patrol_settings: {
              signup_opens_days: whole(fields.signupOpens),
              withdraw_until_hours: whole(fields.withdrawUntil),
              schedule_weeks_ahead: whole(fields.weeksAhead),
              no_show_limit: fields.noShowLimit.trim() === "" ? null : whole(fields.noShowLimit),
            },
          },
        }),
      ),
    );
    if (done) {
      setSaved(t("settings.saved"));
      props.onSaved();
    }
  };
  // A whole-number field. No bounds here: the API holds them, and its 422 message stands beside the field.
  const number = (id: string, field: keyof Fields, apiField: string, label: Key, hint: Key) => (
    <Field id={id} field={apiField} label={t(label)} hint={t(hint)} errors={errors}>
      {(a11y) => (
        <input
          {...a11y}
          type="number"
          inputMode="numeric"
          value={fields[field]}
          onInput={(e) => change({ [field]: e.currentTarget.value })}
        />
      )}
    </Field>
  );
  return (
    // noValidate: the API checks the values and says what is wrong, beside each field.
    <form class="stack" noValidate onSubmit={submit} aria-labelledby="settings-group">
      <h2 id="settings-group">{t("settings.group")}</h2>
      <Field id="settings-name" field="name" label={t("settings.name")} errors={errors}>
        {(a11y) => <input {...a11y} value={fields.name} onInput={(e) => change({ name: e.currentTarget.value })} />}
      </Field>
      <Field id="settings-description" field="description" label={t("settings.description")} errors={errors}>
        {(a11y) => (
          <textarea
            {...a11y}
            rows={3}
            value={fields.description}
            onInput={(e) => change({ description: e.currentTarget.value })}
          />
        )}
      </Field>
      <h3>{t("settings.privacy")}</h3>
      {number("settings-retention", "retention", "note_retention_months", "settings.retention", "settings.retentionHint")}
      <h3>{t("settings.patrols")}</h3>
      {number("settings-signup", "signupOpens", "patrol_settings.signup_opens_days", "settings.signupOpens", "settings.signupOpensHint")}
      {number("settings-withdraw", "withdrawUntil", "patrol_settings.withdraw_until_hours", "settings.withdrawUntil", "settings.withdrawUntilHint")}
      {number("settings-weeks", "weeksAhead", "patrol_settings.schedule_weeks_ahead", "settings.weeksAhead", "settings.weeksAheadHint")}
      {number("settings-noshow", "noShowLimit", "patrol_settings.no_show_limit", "settings.noShowLimit", "settings.noShowLimitHint")}
      <ErrorView error={action.error} />
      <div class="row">
        <button type="submit" disabled={action.busy}>
          {t("settings.save")}
        </button>
      </div>
      <Notice text={saved} />
    </form>
  );
}

function Categories(props: { groupId: string }) {
  const all = useLoad(() => ok(api.GET("/api/v1/note-categories")), []);
  const chosen = useLoad(
    () => ok(api.GET("/api/v1/groups/{group_id}/categories", { params: { path: { group_id: props.groupId } } })),
    [props.groupId],
  );
  const [picked, setPicked] = useState<string[] | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAction();
  useEffect(() => {
    if (chosen.data) setPicked(chosen.data.categories);
  }, [chosen.data]);
  const label = (value: Record<string, string>) => value[lang.get()] ?? value.nl ?? "";
  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(null);
    const done = await action.run(() =>
      ok(
        api.PUT("/api/v1/groups/{group_id}/categories", {
          params: { path: { group_id: props.groupId } },
          body: { categories: (picked ?? []) as Schemas["GroupCategories"]["categories"] },
        }),
      ),
    );
    if (done) {
      setSaved(t("settings.categoriesSaved"));
      chosen.reload();
    }
  };
  const errors = fieldErrors(action.error);
  return (
    <form class="stack" onSubmit={submit} aria-labelledby="settings-categories">
      <h2 id="settings-categories">{t("settings.categories")}</h2>
      <p id="settings-categories-intro">{t("settings.categoriesIntro")}</p>
      {(all.loading || chosen.loading) && picked === null && <Loading />}
      <ErrorView error={all.error ?? chosen.error} onRetry={chosen.reload} />
      {all.data && picked !== null && (
        <fieldset aria-describedby="settings-categories-intro">
          <legend>{t("settings.categoriesLegend")}</legend>
          <div class="category-checks">
            {all.data.map((c) => (
              <label key={c.code}>
                <input
                  type="checkbox"
                  checked={picked.includes(c.code)}
                  onChange={(e) =>
                    setPicked(e.currentTarget.checked ? [...picked, c.code] : picked.filter((p) => p !== c.code))
                  }
                />
                {label(c.label as Record<string, string>)}
              </label>
            ))}
          </div>
          {errors.categories && <p class="field-error">{errors.categories}</p>}
        </fieldset>
      )}
      <ErrorView error={action.error} />
      <div class="row">
        <button type="submit" disabled={action.busy || picked === null}>
          {t("settings.saveCategories")}
        </button>
      </div>
      <Notice text={saved} />
    </form>
  );
}

