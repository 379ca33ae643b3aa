// The audit log: which wijkagent read which shared note, how and when (GET /api/v1/audit-log, admins).
import { useState } from "preact/hooks";
import { api, ok } from "../../api/client";
import { ErrorView, Loading, Page } from "../../components/ui";
import { formatDateTime } from "../../format";
import { useLoad } from "../../hooks";
import { t, type Key } from "../../i18n";
import { TableBox } from "../officer/table";

const PAGE = 50;

export function AuditLog() {
  const [page, setPage] = useState(1);
  const log = useLoad(() => ok(api.GET("/api/v1/audit-log", { params: { query: { page, page_size: PAGE } } })), [page]);
  return (
    <Page title={t("admin.audit.title")}>
      <p>{t("admin.audit.intro")}</p>
      {log.loading && !log.data && <Loading />}
      <ErrorView error={log.error} onRetry={log.reload} />
      {log.data &&
        (log.data.length === 0 ? (
          <p>{t("admin.audit.none")}</p>
        ) : (
          <TableBox label={t("admin.audit.title")}>
<table>
            <caption class="sr-only">{t("admin.audit.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.audit.at")}</th>
                <th scope="col">{t("admin.audit.reader")}</th>
                <th scope="col">{t("admin.audit.via")}</th>
                <th scope="col">{t("admin.audit.group")}</th>
                <th scope="col">{t("admin.audit.note")}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.at)}</td>
                  <td>{entry.reader?.name ?? t("admin.audit.gone")}</td>
                  <td>{t(`admin.audit.via.${entry.via}` as Key)}</td>
                  <td>{entry.group?.name ?? "–"}</td>
                  <td>
                    <code>{entry.note_id ? entry.note_id.slice(0, 8) : t("admin.audit.gone")}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
</TableBox>
        ))}
      <div class="row">
        {page > 1 && (
          <button type="button" onClick={() => setPage(page - 1)}>
            {t("admin.previous")}
          </button>
        )}
        {log.data?.length === PAGE && (
          <button type="button" onClick={() => setPage(page + 1)}>
            {t("admin.next")}
          </button>
        )}
      </div>
    </Page>
  );
}
