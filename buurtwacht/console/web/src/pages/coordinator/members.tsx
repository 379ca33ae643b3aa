// Members and requests to join: approve, reject, change role; the invite code with a QR code to print.
import QRCode from "qrcode";
import { useEffect, useState } from "preact/hooks";
import { allPages, api, ok, type Schemas } from "../../api/client";
import { ErrorView, Loading, Notice, Page } from "../../components/ui";
import { formatDate, formatDateTime } from "../../format";
import { useAction, useLoad } from "../../hooks";
import { t, type Key } from "../../i18n";

type Member = Schemas["Member"];

export function Members(props: { groupId: string; groupName: string }) {
  const path = { group_id: props.groupId };
  const list = (status: "pending" | "active") =>
    allPages((page) =>
      api.GET("/api/v1/groups/{group_id}/members", { params: { path, query: { status, page, page_size: 100 } } }),
    );
  const pending = useLoad(() => list("pending"), [props.groupId]);
  const active = useLoad(() => list("active"), [props.groupId]);
  const action = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const act = async (change: () => Promise<unknown>, done: string) => {
    setNotice(null);
    if (await action.run(change)) {
      setNotice(done);
      pending.reload();
      active.reload();
    }
  };
  const member = (m: Member) => ({ params: { path: { group_id: props.groupId, membership_id: m.id } } });
  return (
    <Page title={t("coord.members.title", { group: props.groupName })}>
      <Notice text={notice} />
      <ErrorView error={action.error} />
      <h2>{t("coord.members.requests")}</h2>
      <ErrorView error={pending.error} onRetry={pending.reload} />
      {pending.loading && !pending.data && <Loading />}
      {pending.data?.length === 0 && <p>{t("coord.members.noRequests")}</p>}
      {pending.data && pending.data.length > 0 && (
        <ul class="cards">
          {pending.data.map((m) => (
            <li key={m.id} class="card">
              <h3>{m.name}</h3>
              <p class="muted">
                {m.email} · {t("coord.members.since")} {formatDate(m.since)}
              </p>
              <div class="row">
                <button
                  type="button"
                  disabled={action.busy}
                  onClick={() =>
                    act(
                      () => ok(api.POST("/api/v1/groups/{group_id}/members/{membership_id}/approve", member(m))),
                      t("coord.members.approved", { name: m.name }),
                    )
                  }
                >
                  {t("coord.members.approve", { name: m.name })}
                </button>
                <button
                  type="button"
                  class="secondary"
                  disabled={action.busy}
                  onClick={() =>
                    act(
                      () => ok(api.POST("/api/v1/groups/{group_id}/members/{membership_id}/reject", member(m))),
                      t("coord.members.rejected", { name: m.name }),
                    )
                  }
                >
                  {t("coord.members.reject", { name: m.name })}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <h2>{t("coord.members.members")}</h2>
      <ErrorView error={active.error} onRetry={active.reload} />
      {active.loading && !active.data && <Loading />}
      {active.data && (
        <div class="table-wrap">
          <table class="stacked">
            <thead>
              <tr>
                <th scope="col">{t("coord.members.name")}</th>
                <th scope="col">{t("coord.members.role")}</th>
                <th scope="col">{t("coord.members.email")}</th>
                <th scope="col">{t("coord.members.phone")}</th>
                <th scope="col">{t("coord.members.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {active.data.map((m) => {
                const to = m.role === "coordinator" ? "volunteer" : "coordinator";
                return (
                  <tr key={m.id}>
                    <td data-label={t("coord.members.name")}>{m.name}</td>
                    <td data-label={t("coord.members.role")}>{t(`role.${m.role}` as Key)}</td>
                    <td data-label={t("coord.members.email")}>{m.email}</td>
                    <td data-label={t("coord.members.phone")}>{m.phone ?? ""}</td>
                    <td>
                      <button
                        type="button"
                        class="secondary"
                        disabled={action.busy}
                        onClick={() =>
                          act(
                            () =>
                              ok(
                                api.PATCH("/api/v1/groups/{group_id}/members/{membership_id}", {
                                  ...member(m),
                                  body: { role: to },
                                }),
                              ),
                            t("coord.members.roleChanged", { name: m.name, role: t(`role.${to}` as Key) }),
                          )
                        }
                      >
                        {t(to === "coordinator" ? "coord.members.makeCoordinator" : "coord.members.makeVolunteer", {
                          name: m.name,
                        })}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <InviteCode groupId={props.groupId} />
    </Page>
  );
}

function InviteCode(props: { groupId: string }) {
  const path = { params: { path: { group_id: props.groupId } } };
  const invite = useLoad(() => ok(api.GET("/api/v1/groups/{group_id}/invite", path)), [props.groupId]);
  const action = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const [qr, setQr] = useState<string>("");
  const code = invite.data?.code;
  useEffect(() => {
    if (code) void QRCode.toString(code, { type: "svg", margin: 1, errorCorrectionLevel: "M" }).then(setQr);
  }, [code]);
  const act = async (change: () => Promise<unknown>, done: string) => {
    setNotice(null);
    if (await action.run(change)) {
      setNotice(done);
      invite.reload();
    }
  };
  const none = invite.error?.status === 404;
  return (
    <section aria-labelledby="invite-title" class="invite">
      <h2 id="invite-title">{t("coord.invite.title")}</h2>
      <p>{t("coord.invite.intro")}</p>
      <Notice text={notice} />
      <ErrorView error={action.error ?? (none ? undefined : invite.error)} />
      {invite.loading && !invite.data && !invite.error && <Loading />}
      {none && <p>{t("coord.invite.none")}</p>}
      {invite.data && !none && (
        <div class="card">
          <p class="invite-code">{invite.data.code}</p>
          {qr && (
            // The SVG is made here by the qrcode library from the code alone.
            <div class="qr" role="img" aria-label={t("coord.invite.qr", { code: invite.data.code })} dangerouslySetInnerHTML={{ __html: qr }} />
          )}
          <p>{t("coord.invite.expires", { date: formatDateTime(invite.data.expires_at) })}</p>
        </div>
      )}
      <div class="row no-print">
        <button
          type="button"
          disabled={action.busy}
          onClick={() => act(() => ok(api.POST("/api/v1/groups/{group_id}/invite", { ...path, body: {} })), t("coord.invite.made"))}
        >
          {t("coord.invite.new")}
        </button>
        {invite.data && !none && (
          <>
            <button type="button" class="secondary" onClick={() => window.print()}>
              {t("app.print")}
            </button>
            <button
              type="button"
              class="danger"
              disabled={action.busy}
              onClick={() =>
                act(() => ok(api.DELETE("/api/v1/groups/{group_id}/invite", path)), t("coord.invite.revoked"))
              }
            >
              {t("coord.invite.revoke")}
            </button>
          </>
        )}
      </div>
    </section>
  );
}
