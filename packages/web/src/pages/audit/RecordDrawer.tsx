import { LeftOutlined, RightOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Descriptions, Drawer, Empty, Skeleton, Space, Table, Tag, Typography } from "antd";
import { Link } from "react-router-dom";
import { ApiError, api } from "../../api/client";
import { formatDateTime } from "../../components/format";
import { useT } from "../../i18n/core";
import { type AuditRecord, type FieldChange, showValue } from "./api";
import { auditText } from "./i18n";
import { ActorCell, OutcomeTag } from "./parts";

const KIND_COLOR: Record<FieldChange["kind"], string> = { added: "green", removed: "red", changed: "blue" };

function Value({ v, kind }: { v: unknown; kind: "before" | "after" }) {
  const text = showValue(v);
  const long = text.length > 120;
  return (
    <Typography.Text
      delete={kind === "before" && v !== null && v !== undefined}
      type={v === null || v === undefined ? "secondary" : undefined}
      style={{ fontFamily: typeof v === "string" ? undefined : "monospace", fontSize: 13, wordBreak: "break-all" }}
      ellipsis={long ? { tooltip: text } : false}
    >
      {text}
    </Typography.Text>
  );
}

/** One audit record: who, when, from where, and the before/after difference field by field. */
export function RecordDrawer({ id, onClose, onNavigate }: { id: number | null; onClose: () => void; onNavigate: (id: number) => void }) {
  const t = useT(auditText);
  const { data, isLoading, error } = useQuery({
    queryKey: ["audit", "record", id],
    queryFn: () => api.get<AuditRecord>(`/api/audit/log/${id}`),
    enabled: id !== null,
    retry: false,
  });
  const r = data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={860}
      destroyOnHidden
      data-testid="audit-drawer"
      title={id !== null ? t("detailTitle", { id }) : ""}
      extra={
        r && (
          <Space>
            <Button icon={<LeftOutlined />} disabled={!r.previousId} onClick={() => r.previousId && onNavigate(r.previousId)} data-testid="audit-prev">
              {t("previous")}
            </Button>
            <Button icon={<RightOutlined />} iconPlacement="end" disabled={!r.nextId} onClick={() => r.nextId && onNavigate(r.nextId)} data-testid="audit-next">
              {t("next")}
            </Button>
          </Space>
        )
      }
    >
      {isLoading && <Skeleton active />}
      {error instanceof ApiError && <Alert type="warning" showIcon title={error.status === 404 ? t("notFound") : error.detail} />}
      {r && (
        <Space orientation="vertical" size={16} style={{ width: "100%" }}>
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, md: 2 }}
            data-testid="audit-drawer-meta"
            items={[
              { key: "time", label: t("time"), children: formatDateTime(r.occurredAt) },
              { key: "outcome", label: t("outcome"), children: <OutcomeTag outcome={r.outcome} errorCode={r.errorCode} /> },
              { key: "actor", label: t("actor"), children: <ActorCell row={r} /> },
              { key: "ip", label: t("ip"), children: r.ip ?? "—" },
              {
                key: "action",
                label: t("action"),
                span: 2,
                children: (
                  <Space size={6}>
                    <span data-testid="audit-drawer-action">{r.actionLabel}</span>
                    <Typography.Text code>{r.action}</Typography.Text>
                  </Space>
                ),
              },
              { key: "entity", label: t("entity"), children: r.entity ? `${r.entity}${r.entityId ? ` #${r.entityId}` : ""}` : "—" },
              { key: "session", label: t("session"), children: r.sessionId ? <Typography.Text code>{r.sessionId}</Typography.Text> : "—" },
              { key: "ua", label: t("userAgent"), span: 2, children: r.userAgent ?? "—" },
              { key: "req", label: t("requestId"), span: 2, children: r.requestId ? <Typography.Text code>{r.requestId}</Typography.Text> : "—" },
            ]}
          />
          <div>
            <Typography.Title level={5}>{t("changes")}</Typography.Title>
            {r.fieldChanges.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noChanges")} />
            ) : (
              <Table<FieldChange>
                size="small"
                rowKey="field"
                pagination={false}
                dataSource={r.fieldChanges}
                data-testid="audit-diff"
                columns={[
                  {
                    title: t("field"),
                    dataIndex: "field",
                    width: 200,
                    render: (v: string, c) => (
                      <Space size={4} data-testid={`audit-diff-${v}`}>
                        <Typography.Text code>{v || "—"}</Typography.Text>
                        <Tag color={KIND_COLOR[c.kind]}>{t(`kind_${c.kind}`)}</Tag>
                      </Space>
                    ),
                  },
                  { title: t("before"), key: "before", render: (_, c) => <Value v={c.before} kind="before" /> },
                  { title: t("after"), key: "after", render: (_, c) => <Value v={c.after} kind="after" /> },
                ]}
              />
            )}
          </div>
          {r.details && (
            <div>
              <Typography.Title level={5}>{t("details")}</Typography.Title>
              <pre data-testid="audit-details" style={{ background: "#fafafa", border: "1px solid #f0f0f0", borderRadius: 6, padding: 12, margin: 0, fontSize: 12, whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
                {JSON.stringify(r.details, null, 2)}
              </pre>
            </div>
          )}
          {r.securityEvents.length > 0 && (
            <div>
              <Typography.Title level={5}>{t("securityEvents")}</Typography.Title>
              <Space wrap>
                {r.securityEvents.map((e) => (
                  <Link key={e} to={`/security/events/${e}`}>
                    #{e}
                  </Link>
                ))}
              </Space>
            </div>
          )}
          <Descriptions
            size="small"
            column={1}
            title={t("chain")}
            items={[
              { key: "prev", label: t("prevHash"), children: <Typography.Text code style={{ fontSize: 12 }}>{r.prevHash}</Typography.Text> },
              { key: "hash", label: t("hash"), children: <Typography.Text code copyable style={{ fontSize: 12 }}>{r.hash}</Typography.Text> },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}
