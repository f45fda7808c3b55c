import { ApartmentOutlined, DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
} from "antd";
import type { Dayjs } from "dayjs";
import { useEffect } from "react";
import { useNavigate } from "react-router-dom";
import { api } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { PageHeader } from "../../../components/PageHeader";
import { common } from "../../../i18n/common";
import { pickName, useLang, useT } from "../../../i18n/core";
import type { BomDetail, BomLineRow, UnitOption } from "./api";
import { engText } from "./i18n";
import { decimalRule, EffectiveRange, ItemSelect, Qty, StatusTag, typeLabel } from "./parts";
import { CopyVersionModal, day, LifecycleButtons, LoadingOrMissing, releaseDetails, toDay, useLifecycleActions, useVersionedEditor, VersionHeaderFields, VersionList } from "./versioned";

interface LineValues {
  position?: number;
  componentItemId?: number;
  qty?: string;
  uomId?: number;
  scrapPct?: string;
  phantom?: boolean;
  byProduct?: boolean;
  effectiveFrom?: Dayjs | null;
  effectiveTo?: Dayjs | null;
  notes?: string | null;
}

interface FormValues {
  itemId?: number;
  versionCode: string;
  description?: string | null;
  effectiveFrom: Dayjs;
  effectiveTo?: Dayjs | null;
  baseQty: string;
  notes?: string | null;
  lines: LineValues[];
}

function linesToForm(lines: BomLineRow[]): LineValues[] {
  return lines.map((l) => ({
    position: l.position,
    componentItemId: l.componentItemId,
    qty: l.qty ?? undefined,
    uomId: l.uomId,
    scrapPct: l.scrapPct ?? "0",
    phantom: l.phantom,
    byProduct: l.byProduct,
    effectiveFrom: toDay(l.effectiveFrom),
    effectiveTo: toDay(l.effectiveTo),
    notes: l.notes,
  }));
}

/** The units a line's component may be entered in (its category plus its own alternative units). */
function UnitSelect({ itemId, value, onChange, testId }: { itemId?: number; value?: number; onChange?: (v: number) => void; testId?: string }) {
  const { data, isFetching } = useQuery({
    queryKey: ["masterdata", "item-units", itemId],
    queryFn: () => api.get<UnitOption[]>(`/api/masterdata/engineering/item-options/${itemId}/units`),
    enabled: Boolean(itemId),
    staleTime: 60_000,
  });
  useEffect(() => {
    // A new component starts in its base unit.
    if (data && (value === undefined || !data.some((u) => u.id === value))) {
      const base = data.find((u) => u.isBase);
      if (base) onChange?.(base.id);
    }
  }, [data, value, onChange]);
  return (
    <Select
      value={value}
      onChange={onChange}
      loading={isFetching}
      disabled={!itemId}
      data-testid={testId}
      popupMatchSelectWidth={200}
      options={(data ?? []).map((u) => ({ value: u.id, label: u.code, title: u.isBase ? undefined : `= ${u.factor}` }))}
    />
  );
}

function LinesEditor({ parentItemId }: { parentItemId?: number }) {
  const t = useT(engText);
  const tc = useT(common);
  return (
    <Form.List name="lines">
      {(fields, { add, remove }) => (
        <>
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={fields}
            data-testid="bom-lines-editor"
            scroll={{ x: 1320 }}
            locale={{ emptyText: t("noLines") }}
            columns={[
              {
                title: t("position"),
                width: 80,
                render: (_, f) => (
                  <Form.Item name={[f.name, "position"]} style={{ margin: 0 }} rules={[{ required: true, message: t("position") }]}>
                    <InputNumber min={1} max={99999} precision={0} style={{ width: "100%" }} data-testid={`line-${f.name}-position`} />
                  </Form.Item>
                ),
              },
              {
                title: t("component"),
                width: 300,
                render: (_, f) => (
                  <Form.Item name={[f.name, "componentItemId"]} style={{ margin: 0 }} rules={[{ required: true, message: tc("required", { field: t("component") }) }]}>
                    <ItemSelect excludeId={parentItemId} testId={`line-${f.name}-component`} />
                  </Form.Item>
                ),
              },
              {
                title: t("qtyPer"),
                width: 130,
                render: (_, f) => (
                  <Form.Item
                    name={[f.name, "qty"]}
                    style={{ margin: 0 }}
                    rules={[{ required: true, message: tc("required", { field: t("qtyPer") }) }, decimalRule(12, 6, "0.000001 – 999999999999")]}
                  >
                    <InputNumber stringMode min="0" style={{ width: "100%" }} data-testid={`line-${f.name}-qty`} />
                  </Form.Item>
                ),
              },
              {
                title: t("uom"),
                width: 90,
                render: (_, f) => (
                  <Form.Item noStyle shouldUpdate={(a, b) => a.lines?.[f.name]?.componentItemId !== b.lines?.[f.name]?.componentItemId}>
                    {({ getFieldValue }) => (
                      <Form.Item name={[f.name, "uomId"]} style={{ margin: 0 }}>
                        <UnitSelect itemId={getFieldValue(["lines", f.name, "componentItemId"])} testId={`line-${f.name}-uom`} />
                      </Form.Item>
                    )}
                  </Form.Item>
                ),
              },
              {
                title: t("scrapPct"),
                width: 100,
                render: (_, f) => (
                  <Form.Item name={[f.name, "scrapPct"]} style={{ margin: 0 }} rules={[decimalRule(2, 3, "0 – 99.999")]}>
                    <InputNumber stringMode min="0" max="99.999" style={{ width: "100%" }} data-testid={`line-${f.name}-scrap`} />
                  </Form.Item>
                ),
              },
              {
                title: t("phantom"),
                width: 70,
                align: "center",
                render: (_, f) => (
                  <Form.Item name={[f.name, "phantom"]} valuePropName="checked" style={{ margin: 0 }}>
                    <Checkbox data-testid={`line-${f.name}-phantom`} />
                  </Form.Item>
                ),
              },
              {
                title: t("byProduct"),
                width: 80,
                align: "center",
                render: (_, f) => (
                  <Form.Item name={[f.name, "byProduct"]} valuePropName="checked" style={{ margin: 0 }}>
                    <Checkbox data-testid={`line-${f.name}-byproduct`} />
                  </Form.Item>
                ),
              },
              {
                title: t("lineFrom"),
                width: 140,
                render: (_, f) => (
                  <Form.Item name={[f.name, "effectiveFrom"]} style={{ margin: 0 }}>
                    <DatePicker style={{ width: "100%" }} data-testid={`line-${f.name}-from`} />
                  </Form.Item>
                ),
              },
              {
                title: t("lineTo"),
                width: 140,
                render: (_, f) => (
                  <Form.Item name={[f.name, "effectiveTo"]} style={{ margin: 0 }}>
                    <DatePicker style={{ width: "100%" }} data-testid={`line-${f.name}-to`} />
                  </Form.Item>
                ),
              },
              {
                title: t("notes"),
                render: (_, f) => (
                  <Form.Item name={[f.name, "notes"]} style={{ margin: 0 }}>
                    <Input maxLength={500} data-testid={`line-${f.name}-notes`} />
                  </Form.Item>
                ),
              },
              {
                title: "",
                width: 44,
                fixed: "right",
                render: (_, f) => (
                  <Tooltip title={t("removeLine")}>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} data-testid={`line-${f.name}-remove`} />
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
                data-testid="bom-add-line"
                onClick={() => {
                  const lines = (getFieldValue("lines") as LineValues[] | undefined) ?? [];
                  const next = Math.max(0, ...lines.map((l) => l?.position ?? 0)) + 10;
                  add({ position: next, qty: "1", scrapPct: "0", phantom: false, byProduct: false });
                }}
              >
                {t("addLine")}
              </Button>
            )}
          </Form.Item>
        </>
      )}
    </Form.List>
  );
}

/** Read-only lines of a released (or hidden-quantity) BOM. */
function LinesTable({ bom }: { bom: BomDetail }) {
  const t = useT(engText);
  const { lang } = useLang();
  return (
    <Table<BomLineRow>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={bom.lines}
      data-testid="bom-lines"
      scroll={{ x: 1000 }}
      locale={{ emptyText: t("noLines") }}
      columns={[
        { title: t("position"), dataIndex: "position", width: 70 },
        {
          title: t("component"),
          width: 360,
          render: (_, l) => (
            <Space size={4} wrap>
              <b>{l.componentCode}</b>
              {pickName(lang, l.componentNameZh, l.componentNameEn)}
              {l.hasBom && <Tag color="purple">BOM</Tag>}
              {l.componentStatus !== "active" && <Tag color="red">{t("componentBlocked")}</Tag>}
            </Space>
          ),
        },
        { title: t("qtyPer"), dataIndex: "qty", width: 130, align: "right", render: (v: string | null, l) => <Qty value={v} unit={l.uom} testId={`bom-line-qty-${l.componentCode}`} /> },
        { title: t("scrapPct"), dataIndex: "scrapPct", width: 90, align: "right", render: (v: string | null) => <Qty value={v} /> },
        {
          title: "",
          width: 170,
          render: (_, l) => (
            <Space size={4}>
              {l.phantom && <Tag color="geekblue">{t("phantom")}</Tag>}
              {l.byProduct && <Tag color="gold">{t("byProduct")}</Tag>}
            </Space>
          ),
        },
        {
          title: `${t("lineFrom")} → ${t("lineTo")}`,
          width: 220,
          render: (_, l) => (l.effectiveFrom || l.effectiveTo ? <EffectiveRange from={l.effectiveFrom} to={l.effectiveTo} /> : "—"),
        },
        { title: t("notes"), dataIndex: "notes", ellipsis: true, render: (v: string | null) => v ?? "" },
      ]}
    />
  );
}

export default function BomEditorPage() {
  const t = useT(engText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { isNew, form, detail, doc: bom, busy, dirty, setDirty, copying, setCopying, save } = useVersionedEditor<BomDetail, FormValues>("bom", {
    firstVersion: "V1",
    blank: { baseQty: "1", lines: [] },
    fill: (b) => ({ baseQty: b.baseQty ?? "1", lines: linesToForm(b.lines) }),
    body: (v) => ({
      baseQty: String(v.baseQty),
      lines: (v.lines ?? []).map((l) => ({
        position: l.position,
        componentItemId: l.componentItemId,
        qty: String(l.qty ?? ""),
        uomId: l.uomId,
        scrapPct: String(l.scrapPct ?? "0") || "0",
        phantom: Boolean(l.phantom),
        byProduct: Boolean(l.byProduct),
        effectiveFrom: day(l.effectiveFrom),
        effectiveTo: day(l.effectiveTo),
        notes: l.notes?.trim() || null,
      })),
    }),
  });
  const editable = can("masterdata.bom.edit") && can("masterdata.bom.quantity.read") && (isNew || bom?.status === "draft");

  const confirmAction = useLifecycleActions("bom", bom, () => void detail.refetch(), (deleted) => {
    // Back to another version of the item, if it has one.
    const other = deleted.versions.find((v) => v.id !== deleted.id);
    navigate(other ? `/masterdata/boms/${other.id}` : "/masterdata/boms", { replace: true });
  });

  if (!isNew && (!bom || detail.error)) return <LoadingOrMissing kind="bom" detail={detail} notFoundTitle={t("bomNotFound")} />;

  const title = isNew ? t("bomNew") : t("bomEdit", { item: bom!.itemCode, version: bom!.versionCode });
  return (
    <>
      <PageHeader
        title={title}
        onBack={() => navigate("/masterdata/boms")}
        sub={bom && <StatusTag status={bom.status} />}
        extra={
          <>
            {bom && (
              <Button icon={<ApartmentOutlined />} onClick={() => navigate(`/masterdata/bom-analysis?itemId=${bom.itemId}&bomId=${bom.id}`)} data-testid="bom-explode">
                {t("explode")}
              </Button>
            )}
            <LifecycleButtons kind="bom" doc={bom} editable={editable} dirty={dirty} busy={busy} onCopy={() => setCopying(true)} onAction={confirmAction} onSave={() => form.submit()} />
          </>
        }
      />
      {bom?.quantitiesHidden && <Alert type="info" showIcon title={t("hiddenQtyHint")} style={{ marginBottom: 12 }} />}
      {bom && bom.status !== "draft" && <Alert type="warning" showIcon title={t("readOnlyReleased")} style={{ marginBottom: 12 }} data-testid="bom-readonly" />}
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={editable ? 24 : 18}>
          <Form form={form} layout="vertical" onFinish={save} onValuesChange={() => setDirty(true)} disabled={!editable} data-testid="bom-form">
            <Card size="small" title={t("bomHeader")} style={{ marginBottom: 12 }}>
              <Row gutter={12}>
                <VersionHeaderFields
                  kind="bom"
                  isNew={isNew}
                  quantity={
                    <Col xs={12} md={6} lg={4}>
                      <Form.Item name="baseQty" label={t("baseQty")} tooltip={t("baseQtyHint")} rules={[{ required: true }, decimalRule(12, 6, "0.000001 – 999999999999")]}>
                        <InputNumber stringMode min="0" style={{ width: "100%" }} data-testid="bom-baseqty" />
                      </Form.Item>
                    </Col>
                  }
                />
              </Row>
            </Card>
            {editable && (
              <Card size="small" title={t("bomLines")}>
                <Form.Item noStyle shouldUpdate={(a, b) => a.itemId !== b.itemId}>
                  {({ getFieldValue }) => <LinesEditor parentItemId={getFieldValue("itemId")} />}
                </Form.Item>
              </Card>
            )}
          </Form>
          {!editable && bom && (
            // Outside the (disabled) form, so tags and links keep their colours.
            <Card size="small" title={t("bomLines")}>
              <LinesTable bom={bom} />
            </Card>
          )}
        </Col>
        {bom && (
          <Col xs={24} xl={editable ? 24 : 6}>
            <Card size="small" title={t("versions")} data-testid="bom-versions" style={{ marginBottom: 12 }}>
              <VersionList kind="bom" doc={bom} stacked />
            </Card>
            <Card size="small" title={tc("details")}>
              <Descriptions
                column={1}
                size="small"
                items={[
                  { key: "item", label: t("item"), children: `${bom.itemCode} · ${pickName(lang, bom.itemNameZh, bom.itemNameEn)} (${typeLabel(t, bom.itemType)})` },
                  { key: "uom", label: t("uom"), children: bom.uom },
                  ...releaseDetails(t, bom),
                ]}
              />
            </Card>
          </Col>
        )}
      </Row>
      {bom && <CopyVersionModal kind="bom" codePrefix="V" open={copying} doc={bom} onClose={() => setCopying(false)} />}
    </>
  );
}
