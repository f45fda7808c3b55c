import { ApartmentOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Checkbox, Col, DatePicker, Form, Input, InputNumber, Row, Select, Space, Table, type TableColumnsType, Tag } from "antd";
import type { Dayjs } from "dayjs";
import { useEffect } from "react";
import { useNavigate } from "react-router-dom";
import { api } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { common } from "../../../i18n/common";
import { pickName, useLang, useT } from "../../../i18n/core";
import type { BomDetail, BomLineRow, UnitOption } from "./api";
import { engText } from "./i18n";
import { decimalRule, EffectiveRange, ItemSelect, Qty, typeLabel } from "./parts";
import { day, LoadingOrMissing, type RowField, RowsEditor, toDay, useVersionedEditor, VersionDetailsCard, VersionEditorHeader, VersionForm, type VersionHeaderValues, VersionList } from "./versioned";

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

interface FormValues extends VersionHeaderValues {
  baseQty: string;
  lines: LineValues[];
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

/** A draft's lines; a line's component cannot be the BOM's own item (`parentItemId`). */
function LinesEditor({ parentItemId }: { parentItemId?: number }) {
  const t = useT(engText);
  const tc = useT(common);
  const columns: RowField<LineValues>[] = [
    {
      title: t("component"),
      width: 300,
      field: "componentItemId",
      rules: [{ required: true, message: tc("required", { field: t("component") }) }],
      input: (row) => <ItemSelect excludeId={parentItemId} testId={`line-${row}-component`} />,
    },
    {
      title: t("qtyPer"),
      width: 130,
      field: "qty",
      rules: [{ required: true, message: tc("required", { field: t("qtyPer") }) }, decimalRule(12, 6, "0.000001 – 999999999999")],
      input: (row) => <InputNumber stringMode min="0" style={{ width: "100%" }} data-testid={`line-${row}-qty`} />,
    },
    // The units follow the component picked.
    { title: t("uom"), width: 90, field: "uomId", dependsOn: "componentItemId", input: (row, itemId) => <UnitSelect itemId={itemId as number | undefined} testId={`line-${row}-uom`} /> },
    {
      title: t("scrapPct"),
      width: 100,
      field: "scrapPct",
      rules: [decimalRule(2, 3, "0 – 99.999")],
      input: (row) => <InputNumber stringMode min="0" max="99.999" style={{ width: "100%" }} data-testid={`line-${row}-scrap`} />,
    },
    { title: t("phantom"), width: 70, align: "center", field: "phantom", valuePropName: "checked", input: (row) => <Checkbox data-testid={`line-${row}-phantom`} /> },
    { title: t("byProduct"), width: 80, align: "center", field: "byProduct", valuePropName: "checked", input: (row) => <Checkbox data-testid={`line-${row}-byproduct`} /> },
    { title: t("lineFrom"), width: 140, field: "effectiveFrom", input: (row) => <DatePicker style={{ width: "100%" }} data-testid={`line-${row}-from`} /> },
    { title: t("lineTo"), width: 140, field: "effectiveTo", input: (row) => <DatePicker style={{ width: "100%" }} data-testid={`line-${row}-to`} /> },
    { title: t("notes"), field: "notes", input: (row) => <Input maxLength={500} data-testid={`line-${row}-notes`} /> },
  ];
  return <RowsEditor kind="bom" scrollX={1320} newRow={(position) => ({ position, qty: "1", scrapPct: "0", phantom: false, byProduct: false })} columns={columns} />;
}

/** Read-only lines of a released (or hidden-quantity) BOM. */
function LinesTable({ bom }: { bom: BomDetail }) {
  const t = useT(engText);
  const { lang } = useLang();
  const columns: TableColumnsType<BomLineRow> = [
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
  ];
  return <Table<BomLineRow> size="small" rowKey="id" pagination={false} dataSource={bom.lines} data-testid="bom-lines" scroll={{ x: 1000 }} locale={{ emptyText: t("noLines") }} columns={columns} />;
}

export default function BomEditorPage() {
  const t = useT(engText);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const editor = useVersionedEditor<BomDetail, FormValues>("bom", {
    codePrefix: "V",
    blank: { baseQty: "1", lines: [] },
    fill: (b) => ({
      baseQty: b.baseQty ?? "1",
      lines: b.lines.map((l) => ({
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
      })),
    }),
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
  const { isNew, detail, doc: bom } = editor;
  const editable = can("masterdata.bom.edit") && can("masterdata.bom.quantity.read") && (isNew || bom?.status === "draft");

  if (!isNew && (!bom || detail.error)) return <LoadingOrMissing kind="bom" detail={detail} notFoundTitle={t("bomNotFound")} />;

  return (
    <>
      <VersionEditorHeader
        editor={editor}
        editable={editable}
        title={isNew ? t("bomNew") : t("bomEdit", { item: bom!.itemCode, version: bom!.versionCode })}
        extra={
          bom && (
            <Button icon={<ApartmentOutlined />} onClick={() => navigate(`/masterdata/bom-analysis?itemId=${bom.itemId}&bomId=${bom.id}`)} data-testid="bom-explode">
              {t("explode")}
            </Button>
          )
        }
        pathAfterDelete={(deleted) => {
          // Back to another version of the item, if it has one.
          const other = deleted.versions.find((v) => v.id !== deleted.id);
          return other ? `/masterdata/boms/${other.id}` : "/masterdata/boms";
        }}
      />
      {bom?.quantitiesHidden && <Alert type="info" showIcon title={t("hiddenQtyHint")} style={{ marginBottom: 12 }} />}
      {bom && bom.status !== "draft" && <Alert type="warning" showIcon title={t("readOnlyReleased")} style={{ marginBottom: 12 }} data-testid="bom-readonly" />}
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={editable ? 24 : 18}>
          <VersionForm
            editor={editor}
            editable={editable}
            quantity={{ name: "baseQty", label: t("baseQty"), hint: t("baseQtyHint"), testId: "bom-baseqty" }}
            rows={{
              title: t("bomLines"),
              editor: (
                <Form.Item noStyle shouldUpdate={(a, b) => a.itemId !== b.itemId}>
                  {({ getFieldValue }) => <LinesEditor parentItemId={getFieldValue("itemId")} />}
                </Form.Item>
              ),
              table: bom && <LinesTable bom={bom} />,
            }}
          />
        </Col>
        {bom && (
          <Col xs={24} xl={editable ? 24 : 6}>
            <Card size="small" title={t("versions")} data-testid="bom-versions" style={{ marginBottom: 12 }}>
              <VersionList kind="bom" doc={bom} stacked />
            </Card>
            <VersionDetailsCard
              doc={bom}
              items={[
                { key: "item", label: t("item"), children: `${bom.itemCode} · ${pickName(lang, bom.itemNameZh, bom.itemNameEn)} (${typeLabel(t, bom.itemType)})` },
                { key: "uom", label: t("uom"), children: bom.uom },
              ]}
            />
          </Col>
        )}
      </Row>
    </>
  );
}
