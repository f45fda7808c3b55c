import { Alert, Card, Col, Input, InputNumber, Row, Space, Table, type TableColumnsType, Tag, Typography } from "antd";
import { useAuth } from "../../../auth/AuthProvider";
import { common } from "../../../i18n/common";
import { pickName, useLang, useT } from "../../../i18n/core";
import type { OperationRow, RoutingDetail } from "./api";
import { engText } from "./i18n";
import { decimalRule, Qty, SkillSelect, trimZeros, WorkCentreSelect } from "./parts";
import { LoadingOrMissing, type RowField, RowsEditor, useVersionedEditor, VersionDetailsCard, VersionEditorHeader, VersionForm, type VersionHeaderValues, VersionList } from "./versioned";

interface OpValues {
  seq?: number;
  nameZh?: string;
  nameEn?: string;
  workCentreId?: number;
  setupMinutes?: string;
  runMinutes?: string;
  queueMinutes?: string;
  moveMinutes?: string;
  crewSize?: number;
  requiredSkillId?: number | null;
  alternativeWorkCentreIds?: number[];
  notes?: string | null;
}

interface FormValues extends VersionHeaderValues {
  lotSize: string;
  operations: OpValues[];
}

/** A minutes column: a decimal of `int` integer and `scale` fraction digits (what the server stores). */
const minutes = (title: string, width: number, field: keyof OpValues & string, testId: string, int: number, scale: number): RowField<OpValues> => ({
  title,
  width,
  field,
  rules: [decimalRule(int, scale, `≤ ${"9".repeat(int)}.${"9".repeat(scale)}`)],
  input: (row) => <InputNumber stringMode min="0" style={{ width: "100%" }} data-testid={`op-${row}-${testId}`} />,
});

function OperationsEditor() {
  const t = useT(engText);
  const tc = useT(common);
  const columns: RowField<OpValues>[] = [
    {
      title: `${t("operationName")} (${tc("nameZh")})`,
      width: 150,
      field: "nameZh",
      rules: [{ required: true, whitespace: true, message: tc("required", { field: tc("nameZh") }) }],
      input: (row) => <Input maxLength={200} data-testid={`op-${row}-nameZh`} />,
    },
    {
      title: `${t("operationName")} (${tc("nameEn")})`,
      width: 150,
      field: "nameEn",
      rules: [{ required: true, whitespace: true, message: tc("required", { field: tc("nameEn") }) }],
      input: (row) => <Input maxLength={200} data-testid={`op-${row}-nameEn`} />,
    },
    {
      title: t("workCentre"),
      width: 210,
      field: "workCentreId",
      rules: [{ required: true, message: tc("required", { field: t("workCentre") }) }],
      input: (row) => <WorkCentreSelect testId={`op-${row}-wc`} />,
    },
    minutes(t("setupMinutes"), 100, "setupMinutes", "setup", 9, 3),
    minutes(t("runMinutes"), 110, "runMinutes", "run", 8, 6),
    minutes(t("queueMinutes"), 100, "queueMinutes", "queue", 9, 3),
    minutes(t("moveMinutes"), 100, "moveMinutes", "move", 9, 3),
    { title: t("crewSize"), width: 80, field: "crewSize", input: (row) => <InputNumber min={0} max={1000} precision={0} style={{ width: "100%" }} data-testid={`op-${row}-crew`} /> },
    { title: t("requiredSkill"), width: 160, field: "requiredSkillId", input: (row) => <SkillSelect testId={`op-${row}-skill`} /> },
    // An alternative is any work centre but the operation's own.
    {
      title: t("alternatives"),
      width: 240,
      field: "alternativeWorkCentreIds",
      dependsOn: "workCentreId",
      input: (row, own) => <WorkCentreSelect mode="multiple" exclude={own as number | undefined} testId={`op-${row}-alternatives`} />,
    },
    { title: t("notes"), width: 160, field: "notes", input: () => <Input maxLength={500} /> },
  ];
  const newOperation = (seq: number): OpValues => ({ seq, setupMinutes: "0", runMinutes: "1", queueMinutes: "0", moveMinutes: "0", crewSize: 1, alternativeWorkCentreIds: [] });
  return <RowsEditor kind="routing" scrollX={1700} newRow={newOperation} columns={columns} />;
}

/** Read-only operations of a released routing. */
function OperationsTable({ routing }: { routing: RoutingDetail }) {
  const t = useT(engText);
  const { lang } = useLang();
  const columns: TableColumnsType<OperationRow> = [
    { title: t("seq"), dataIndex: "seq", width: 60 },
    { title: t("operationName"), render: (_, o) => pickName(lang, o.nameZh, o.nameEn) },
    {
      title: t("workCentre"),
      render: (_, o) => (
        <Space size={4}>
          <b>{o.workCentreCode}</b>
          {pickName(lang, o.workCentreNameZh, o.workCentreNameEn)}
          {!o.workCentreActive && <Tag>{t("deactivate")}</Tag>}
        </Space>
      ),
    },
    { title: t("setupMinutes"), dataIndex: "setupMinutes", width: 90, align: "right", render: (v: string) => <Qty value={v} /> },
    { title: t("runMinutes"), dataIndex: "runMinutes", width: 100, align: "right", render: (v: string) => <Qty value={v} /> },
    { title: t("queueMinutes"), dataIndex: "queueMinutes", width: 90, align: "right", render: (v: string) => <Qty value={v} /> },
    { title: t("moveMinutes"), dataIndex: "moveMinutes", width: 90, align: "right", render: (v: string) => <Qty value={v} /> },
    { title: t("crewSize"), dataIndex: "crewSize", width: 90, align: "right" },
    {
      title: t("requiredSkill"),
      width: 140,
      render: (_, o) => (o.requiredSkillCode ? <Tag>{`${o.requiredSkillCode} · ${pickName(lang, o.requiredSkillNameZh, o.requiredSkillNameEn)}`}</Tag> : "—"),
    },
    {
      title: t("alternatives"),
      width: 200,
      render: (_, o) =>
        o.alternatives.length ? (
          <Space size={[4, 4]} wrap>
            {o.alternatives.map((a) => (
              <Tag key={a.workCentreId}>
                {a.priority}. {a.code}
              </Tag>
            ))}
          </Space>
        ) : (
          "—"
        ),
    },
  ];
  return <Table<OperationRow> size="small" rowKey="id" pagination={false} dataSource={routing.operations} data-testid="routing-ops" scroll={{ x: 1200 }} columns={columns} />;
}

export default function RoutingEditorPage() {
  const t = useT(engText);
  const { lang } = useLang();
  const { can } = useAuth();
  const editor = useVersionedEditor<RoutingDetail, FormValues>("routing", {
    codePrefix: "R",
    blank: { lotSize: "1", operations: [] },
    fill: (r) => ({
      lotSize: r.lotSize,
      operations: r.operations.map((o) => ({
        seq: o.seq,
        nameZh: o.nameZh,
        nameEn: o.nameEn,
        workCentreId: o.workCentreId,
        setupMinutes: o.setupMinutes,
        runMinutes: o.runMinutes,
        queueMinutes: o.queueMinutes,
        moveMinutes: o.moveMinutes,
        crewSize: o.crewSize,
        requiredSkillId: o.requiredSkillId,
        alternativeWorkCentreIds: o.alternatives.map((a) => a.workCentreId),
        notes: o.notes,
      })),
    }),
    body: (v) => ({
      lotSize: String(v.lotSize),
      operations: (v.operations ?? []).map((o) => ({
        seq: o.seq,
        nameZh: o.nameZh?.trim(),
        nameEn: o.nameEn?.trim(),
        workCentreId: o.workCentreId,
        setupMinutes: String(o.setupMinutes ?? "0") || "0",
        runMinutes: String(o.runMinutes ?? "0") || "0",
        queueMinutes: String(o.queueMinutes ?? "0") || "0",
        moveMinutes: String(o.moveMinutes ?? "0") || "0",
        crewSize: o.crewSize ?? 1,
        requiredSkillId: o.requiredSkillId ?? null,
        alternativeWorkCentreIds: o.alternativeWorkCentreIds ?? [],
        notes: o.notes?.trim() || null,
      })),
    }),
  });
  const { isNew, detail, doc: routing } = editor;
  const editable = can("masterdata.routing.edit") && (isNew || routing?.status === "draft");

  if (!isNew && (!routing || detail.error)) return <LoadingOrMissing kind="routing" detail={detail} notFoundTitle={t("routingNotFound")} />;

  const minutesText = (v: string) => t("minutesShort", { n: trimZeros(v) });
  const totals = routing && (
    <Space size={16}>
      <Typography.Text type="secondary" data-testid="routing-work-per-lot">
        {t("workPerLot")}: {minutesText(routing.totals.workMinutesPerLot)}
      </Typography.Text>
      <Typography.Text type="secondary">
        {t("leadPerLot")}: {minutesText(routing.totals.leadMinutesPerLot)}
      </Typography.Text>
    </Space>
  );
  return (
    <>
      <VersionEditorHeader editor={editor} editable={editable} title={isNew ? t("routingNew") : t("routingEdit", { item: routing!.itemCode, version: routing!.versionCode })} />
      {routing && routing.status !== "draft" && <Alert type="warning" showIcon title={t("readOnlyReleased")} style={{ marginBottom: 12 }} />}
      <VersionForm
        editor={editor}
        editable={editable}
        quantity={{ name: "lotSize", label: t("routingLotSize"), hint: t("routingLotSizeHint"), testId: "routing-lot" }}
        rows={{ title: t("operations"), extra: totals, editor: <OperationsEditor />, table: routing && <OperationsTable routing={routing} /> }}
      />
      {routing && (
        <Row gutter={12} style={{ marginTop: 12 }}>
          <Col xs={24} md={12}>
            <Card size="small" title={t("versions")}>
              <VersionList kind="routing" doc={routing} />
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <VersionDetailsCard
              doc={routing}
              items={[{ key: "item", label: t("item"), children: `${routing.itemCode} · ${pickName(lang, routing.itemNameZh, routing.itemNameEn)} (${routing.uom})` }]}
            />
          </Col>
        </Row>
      )}
    </>
  );
}
