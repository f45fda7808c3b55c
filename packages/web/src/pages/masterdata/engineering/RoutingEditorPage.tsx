import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Row,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import type { Dayjs } from "dayjs";
import { useNavigate } from "react-router-dom";
import { useAuth } from "../../../auth/AuthProvider";
import { PageHeader } from "../../../components/PageHeader";
import { common } from "../../../i18n/common";
import { pickName, useLang, useT } from "../../../i18n/core";
import type { OperationRow, RoutingDetail } from "./api";
import { engText } from "./i18n";
import { decimalRule, Qty, SkillSelect, StatusTag, trimZeros, WorkCentreSelect } from "./parts";
import { CopyVersionModal, LifecycleButtons, LoadingOrMissing, releaseDetails, useLifecycleActions, useVersionedEditor, VersionHeaderFields, VersionList } from "./versioned";

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

interface FormValues {
  itemId?: number;
  versionCode: string;
  description?: string | null;
  effectiveFrom: Dayjs;
  effectiveTo?: Dayjs | null;
  lotSize: string;
  notes?: string | null;
  operations: OpValues[];
}

function opsToForm(ops: OperationRow[]): OpValues[] {
  return ops.map((o) => ({
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
  }));
}

const minutes = (row: number, key: keyof OpValues, testId: string, int: number, scale: number) => (
  <Form.Item name={[row, key]} style={{ margin: 0 }} rules={[decimalRule(int, scale, `≤ ${"9".repeat(int)}.${"9".repeat(scale)}`)]}>
    <InputNumber stringMode min="0" style={{ width: "100%" }} data-testid={testId} />
  </Form.Item>
);

function OperationsEditor() {
  const t = useT(engText);
  const tc = useT(common);
  return (
    <Form.List name="operations">
      {(fields, { add, remove }) => (
        <>
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={fields}
            data-testid="routing-ops-editor"
            scroll={{ x: 1700 }}
            locale={{ emptyText: t("noOperations") }}
            columns={[
              {
                title: t("seq"),
                width: 76,
                render: (_, f) => (
                  <Form.Item name={[f.name, "seq"]} style={{ margin: 0 }} rules={[{ required: true, message: t("seq") }]}>
                    <InputNumber min={1} max={9999} precision={0} style={{ width: "100%" }} data-testid={`op-${f.name}-seq`} />
                  </Form.Item>
                ),
              },
              {
                title: `${t("operationName")} (${tc("nameZh")})`,
                width: 150,
                render: (_, f) => (
                  <Form.Item name={[f.name, "nameZh"]} style={{ margin: 0 }} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameZh") }) }]}>
                    <Input maxLength={200} data-testid={`op-${f.name}-nameZh`} />
                  </Form.Item>
                ),
              },
              {
                title: `${t("operationName")} (${tc("nameEn")})`,
                width: 150,
                render: (_, f) => (
                  <Form.Item name={[f.name, "nameEn"]} style={{ margin: 0 }} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameEn") }) }]}>
                    <Input maxLength={200} data-testid={`op-${f.name}-nameEn`} />
                  </Form.Item>
                ),
              },
              {
                title: t("workCentre"),
                width: 210,
                render: (_, f) => (
                  <Form.Item name={[f.name, "workCentreId"]} style={{ margin: 0 }} rules={[{ required: true, message: tc("required", { field: t("workCentre") }) }]}>
                    <WorkCentreSelect testId={`op-${f.name}-wc`} />
                  </Form.Item>
                ),
              },
              { title: t("setupMinutes"), width: 100, render: (_, f) => minutes(f.name, "setupMinutes", `op-${f.name}-setup`, 9, 3) },
              { title: t("runMinutes"), width: 110, render: (_, f) => minutes(f.name, "runMinutes", `op-${f.name}-run`, 8, 6) },
              { title: t("queueMinutes"), width: 100, render: (_, f) => minutes(f.name, "queueMinutes", `op-${f.name}-queue`, 9, 3) },
              { title: t("moveMinutes"), width: 100, render: (_, f) => minutes(f.name, "moveMinutes", `op-${f.name}-move`, 9, 3) },
              {
                title: t("crewSize"),
                width: 80,
                render: (_, f) => (
                  <Form.Item name={[f.name, "crewSize"]} style={{ margin: 0 }}>
                    <InputNumber min={0} max={1000} precision={0} style={{ width: "100%" }} data-testid={`op-${f.name}-crew`} />
                  </Form.Item>
                ),
              },
              {
                title: t("requiredSkill"),
                width: 160,
                render: (_, f) => (
                  <Form.Item name={[f.name, "requiredSkillId"]} style={{ margin: 0 }}>
                    <SkillSelect testId={`op-${f.name}-skill`} />
                  </Form.Item>
                ),
              },
              {
                title: t("alternatives"),
                width: 240,
                render: (_, f) => (
                  <Form.Item noStyle shouldUpdate={(a, b) => a.operations?.[f.name]?.workCentreId !== b.operations?.[f.name]?.workCentreId}>
                    {({ getFieldValue }) => (
                      <Form.Item name={[f.name, "alternativeWorkCentreIds"]} style={{ margin: 0 }}>
                        <WorkCentreSelect mode="multiple" exclude={getFieldValue(["operations", f.name, "workCentreId"])} testId={`op-${f.name}-alternatives`} />
                      </Form.Item>
                    )}
                  </Form.Item>
                ),
              },
              {
                title: t("notes"),
                width: 160,
                render: (_, f) => (
                  <Form.Item name={[f.name, "notes"]} style={{ margin: 0 }}>
                    <Input maxLength={500} />
                  </Form.Item>
                ),
              },
              {
                title: "",
                width: 44,
                fixed: "right",
                render: (_, f) => (
                  <Tooltip title={t("removeOperation")}>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} data-testid={`op-${f.name}-remove`} />
                  </Tooltip>
                ),
              },
            ]}
          />
          <Form.Item noStyle shouldUpdate>
            {({ getFieldValue }) => (
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                block
                style={{ marginTop: 8 }}
                data-testid="routing-add-op"
                onClick={() => {
                  const ops = (getFieldValue("operations") as OpValues[] | undefined) ?? [];
                  const next = Math.max(0, ...ops.map((o) => o?.seq ?? 0)) + 10;
                  add({ seq: next, setupMinutes: "0", runMinutes: "1", queueMinutes: "0", moveMinutes: "0", crewSize: 1, alternativeWorkCentreIds: [] });
                }}
              >
                {t("addOperation")}
              </Button>
            )}
          </Form.Item>
        </>
      )}
    </Form.List>
  );
}

function OperationsTable({ routing }: { routing: RoutingDetail }) {
  const t = useT(engText);
  const { lang } = useLang();
  return (
    <Table<OperationRow>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={routing.operations}
      data-testid="routing-ops"
      scroll={{ x: 1200 }}
      columns={[
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
      ]}
    />
  );
}

export default function RoutingEditorPage() {
  const t = useT(engText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { isNew, form, detail, doc: routing, busy, dirty, setDirty, copying, setCopying, save } = useVersionedEditor<RoutingDetail, FormValues>("routing", {
    firstVersion: "R1",
    blank: { lotSize: "1", operations: [] },
    fill: (r) => ({ lotSize: r.lotSize, operations: opsToForm(r.operations) }),
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
  const editable = can("masterdata.routing.edit") && (isNew || routing?.status === "draft");

  const confirmAction = useLifecycleActions("routing", routing, () => void detail.refetch(), () => navigate("/masterdata/routings", { replace: true }));

  if (!isNew && (!routing || detail.error)) return <LoadingOrMissing kind="routing" detail={detail} notFoundTitle={t("routingNotFound")} />;

  const minutesText = (v: string) => t("minutesShort", { n: trimZeros(v) });
  const opsCard = (children: React.ReactNode) => (
    <Card
      size="small"
      title={t("operations")}
      extra={
        routing && (
          <Space size={16}>
            <Typography.Text type="secondary" data-testid="routing-work-per-lot">
              {t("workPerLot")}: {minutesText(routing.totals.workMinutesPerLot)}
            </Typography.Text>
            <Typography.Text type="secondary">
              {t("leadPerLot")}: {minutesText(routing.totals.leadMinutesPerLot)}
            </Typography.Text>
          </Space>
        )
      }
    >
      {children}
    </Card>
  );
  return (
    <>
      <PageHeader
        title={isNew ? t("routingNew") : t("routingEdit", { item: routing!.itemCode, version: routing!.versionCode })}
        onBack={() => navigate("/masterdata/routings")}
        sub={routing && <StatusTag status={routing.status} />}
        extra={
          <LifecycleButtons kind="routing" doc={routing} editable={editable} dirty={dirty} busy={busy} onCopy={() => setCopying(true)} onAction={confirmAction} onSave={() => form.submit()} />
        }
      />
      {routing && routing.status !== "draft" && <Alert type="warning" showIcon title={t("readOnlyReleased")} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={save} onValuesChange={() => setDirty(true)} disabled={!editable} data-testid="routing-form">
        <Card size="small" title={t("bomHeader")} style={{ marginBottom: 12 }}>
          <Row gutter={12}>
            <VersionHeaderFields
              kind="routing"
              isNew={isNew}
              quantity={
                <Col xs={12} md={6} lg={4}>
                  <Form.Item name="lotSize" label={t("routingLotSize")} tooltip={t("routingLotSizeHint")} rules={[{ required: true }, decimalRule(12, 6, "0.000001 – 999999999999")]}>
                    <InputNumber stringMode min="0" style={{ width: "100%" }} data-testid="routing-lot" />
                  </Form.Item>
                </Col>
              }
            />
          </Row>
        </Card>
        {editable && opsCard(<OperationsEditor />)}
      </Form>
      {!editable && routing && opsCard(<OperationsTable routing={routing} />)}
      {routing && (
        <Row gutter={12} style={{ marginTop: 12 }}>
          <Col xs={24} md={12}>
            <Card size="small" title={t("versions")}>
              <VersionList kind="routing" doc={routing} />
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={tc("details")}>
              <Descriptions
                column={1}
                size="small"
                items={[
                  { key: "item", label: t("item"), children: `${routing.itemCode} · ${pickName(lang, routing.itemNameZh, routing.itemNameEn)} (${routing.uom})` },
                  ...releaseDetails(t, routing),
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
      {routing && <CopyVersionModal kind="routing" codePrefix="R" open={copying} doc={routing} onClose={() => setCopying(false)} />}
    </>
  );
}
