import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, Empty, Form, Input, List, Row, Space, Switch, Table, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { api } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { PageHeader } from "../../../components/PageHeader";
import { ActiveItem, CodeItem, FormModal, NameItems, useRecordForm } from "../../../components/recordForm";
import { pickName } from "../../../i18n/core";
import { MD, type Uom, type UomCategory, decimalRule, useAllUoms, useUomCategories } from "./api";
import { ActiveTag, Converter, EditDeleteButtons, ExportButtons, P, useCatalogText, useConfirmDelete } from "./parts";

const UNIT_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$/;

function CategoryModal({ editing, onClose, onSaved }: { editing: UomCategory | "new" | null; onClose: () => void; onSaved: (id: number) => void }) {
  const { t, tc } = useCatalogText();
  const qc = useQueryClient();
  const { form, busy, save, idemKey, renewKey } = useRecordForm<{ code: string; nameZh: string; nameEn: string; active: boolean }>();
  useEffect(() => {
    if (!editing) return;
    renewKey();
    form.resetFields();
    if (editing !== "new") form.setFieldsValue(editing);
  }, [editing, form, renewKey]);
  const submit = (v: { code: string; nameZh: string; nameEn: string; active: boolean }) =>
    save(async () => {
      if (editing === "new") {
        const r = await api.post<UomCategory>(`${MD}/uom-categories`, { code: v.code, nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim() }, { idempotencyKey: idemKey() });
        onSaved(r.id);
      } else if (editing) {
        await api.patch(`${MD}/uom-categories/${editing.id}`, { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), active: v.active }, { version: editing.version });
        onSaved(editing.id);
      }
      await qc.invalidateQueries({ queryKey: ["md", "uom-categories"] });
    });
  return (
    <FormModal open={editing !== null} title={editing === "new" ? t("categoryCreate") : t("categoryEdit")} form={form} busy={busy} onClose={onClose} submitTestId="cat-form-submit">
      <Form form={form} layout="vertical" onFinish={submit}>
        <CodeItem label={tc("code")} disabled={editing !== "new"} testId="cat-code" />
        <NameItems testId="cat" maxLength={100} />
        {editing !== "new" && <ActiveItem />}
      </Form>
    </FormModal>
  );
}

interface UnitValues {
  code: string;
  nameZh: string;
  nameEn: string;
  ratio: string;
  rounding: string;
  isReference: boolean;
  active: boolean;
}

function UnitModal({ editing, category, onClose }: { editing: Uom | "new" | null; category: UomCategory | undefined; onClose: () => void }) {
  const { t, tc } = useCatalogText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { form, busy, save, idemKey, renewKey } = useRecordForm<UnitValues>({ onConflict: () => void qc.invalidateQueries({ queryKey: ["md", "uoms"] }).then(onClose) });
  const isRef = Form.useWatch("isReference", form);
  useEffect(() => {
    if (!editing) return;
    renewKey();
    form.resetFields();
    if (editing === "new") form.setFieldsValue({ ratio: category?.referenceCode ? "" : "1", rounding: "1", isReference: !category?.referenceCode, active: true });
    else form.setFieldsValue(editing);
  }, [editing, category, form, renewKey]);
  const submit = (v: UnitValues) =>
    save(async () => {
      if (editing === "new") {
        await api.post(
          `${MD}/uoms`,
          { categoryId: category!.id, code: v.code.trim(), nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), ratio: v.isReference ? "1" : v.ratio, rounding: v.rounding, isReference: v.isReference },
          { idempotencyKey: idemKey() },
        );
        message.success(tc("created"));
      } else if (editing) {
        const changes: Record<string, unknown> = {};
        for (const k of ["code", "nameZh", "nameEn", "ratio", "rounding", "active"] as const) {
          const val = typeof v[k] === "string" ? (v[k] as string).trim() : v[k];
          if (val !== editing[k]) changes[k] = val;
        }
        if (Object.keys(changes).length > 0) await api.patch(`${MD}/uoms/${editing.id}`, changes, { version: editing.version });
        message.success(tc("saved"));
      }
      await qc.invalidateQueries({ queryKey: ["md", "uoms"] });
      await qc.invalidateQueries({ queryKey: ["md", "uom-categories"] });
      onClose();
    });
  const used = editing !== "new" && editing !== null && editing.itemCount > 0;
  return (
    <FormModal open={editing !== null} title={editing === "new" ? t("unitCreate") : t("unitEdit")} form={form} busy={busy} onClose={onClose} submitTestId="unit-form-submit">
      <Form form={form} layout="vertical" onFinish={submit} data-testid="unit-form">
        {used && <Alert type="info" showIcon title={t("unitInUseHint")} style={{ marginBottom: 12 }} />}
        <Row gutter={12}>
          <Col span={8}>
            <CodeItem label={tc("code")} pattern={UNIT_CODE} maxLength={16} upperCase={false} testId="unit-code" />
          </Col>
          <NameItems testId="unit" maxLength={100} col={{ span: 8 }} />
          <Col span={12}>
            <Form.Item
              name="ratio"
              label={t("ratio")}
              extra={category?.referenceCode ? `${t("ratioHint")} (${category.referenceCode})` : t("ratioHint")}
              rules={[{ required: !isRef, message: tc("required", { field: t("ratio") }) }, { pattern: decimalRule(12), message: t("decimalRule", { n: 12 }) }]}
            >
              <Input inputMode="decimal" disabled={isRef} data-testid="unit-ratio" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="rounding" label={t("rounding")} extra={t("roundingHint")} rules={[{ required: true }, { pattern: decimalRule(6), message: t("decimalRule", { n: 6 }) }]}>
              <Input inputMode="decimal" data-testid="unit-rounding" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="isReference" label={t("reference")} valuePropName="checked">
              <Switch disabled={editing !== "new"} data-testid="unit-reference" />
            </Form.Item>
          </Col>
          {editing !== "new" && <ActiveItem col={{ span: 12 }} />}
        </Row>
      </Form>
    </FormModal>
  );
}

export default function UomsPage() {
  const { t, tc, lang } = useCatalogText();
  const { can } = useAuth();
  const qc = useQueryClient();
  const confirmDelete = useConfirmDelete();
  const cats = useUomCategories();
  const units = useAllUoms();
  const [selected, setSelected] = useState<number | null>(null);
  const [catEditing, setCatEditing] = useState<UomCategory | "new" | null>(null);
  const [unitEditing, setUnitEditing] = useState<Uom | "new" | null>(null);
  const canEdit = can(P.uomEdit);
  const categories = cats.data ?? [];
  const current = categories.find((c) => c.id === selected) ?? categories[0];
  const rows = (units.data ?? []).filter((u) => u.categoryId === current?.id);

  const remove = (u: Uom) =>
    confirmDelete({
      name: u.code,
      path: `${MD}/uoms/${u.id}`,
      confirmTestId: "unit-delete-confirm",
      onDeleted: async () => {
        await qc.invalidateQueries({ queryKey: ["md", "uoms"] });
        await qc.invalidateQueries({ queryKey: ["md", "uom-categories"] });
      },
    });

  return (
    <>
      <PageHeader title={t("uomsTitle")} extra={<ExportButtons path={`${MD}/uoms/export`} query={{ sort: "category,ratio" }} testId="uoms" />} />
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={8} xl={7}>
          <Card
            size="small"
            title={t("categories")}
            extra={
              canEdit && (
                <Button size="small" icon={<PlusOutlined />} onClick={() => setCatEditing("new")} data-testid="cat-create">
                  {t("categoryCreate")}
                </Button>
              )
            }
          >
            <List
              loading={cats.isLoading}
              dataSource={categories}
              data-testid="cat-list"
              renderItem={(c) => (
                <List.Item
                  onClick={() => setSelected(c.id)}
                  style={{ cursor: "pointer", background: c.id === current?.id ? "#e6f4ff" : undefined, paddingInline: 8, borderRadius: 6 }}
                  data-testid={`cat-${c.code}`}
                  actions={
                    canEdit
                      ? [<Button key="e" size="small" type="text" icon={<EditOutlined />} onClick={(e) => {
                          e.stopPropagation();
                          setCatEditing(c);
                        }} aria-label={tc("edit")} />]
                      : []
                  }
                >
                  <List.Item.Meta
                    title={
                      <Space>
                        {pickName(lang, c.nameZh, c.nameEn)}
                        <Typography.Text type="secondary">{c.code}</Typography.Text>
                        {!c.active && <Tag>{tc("inactive")}</Tag>}
                      </Space>
                    }
                    description={`${c.referenceCode ? t("referenceOf", { code: c.referenceCode }) : t("noReference")} · ${c.unitCount}`}
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={16} xl={17}>
          <Card
            size="small"
            title={current ? `${pickName(lang, current.nameZh, current.nameEn)} (${current.code})` : t("uomsTitle")}
            extra={
              canEdit &&
              current && (
                <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setUnitEditing("new")} data-testid="unit-create">
                  {t("unitCreate")}
                </Button>
              )
            }
          >
            {!current ? (
              <Empty description={t("selectCategory")} />
            ) : (
              <>
                {!current.referenceCode && <Alert type="info" showIcon title={t("noReference")} style={{ marginBottom: 12 }} />}
                <Table<Uom>
                  rowKey="id"
                  size="small"
                  loading={units.isLoading}
                  dataSource={rows}
                  pagination={false}
                  data-testid="unit-table"
                  columns={[
                    { title: tc("code"), dataIndex: "code", width: 100, render: (v: string) => <span data-testid={`unit-row-${v}`}>{v}</span> },
                    { title: tc("name"), key: "name", render: (_, u) => pickName(lang, u.nameZh, u.nameEn) },
                    { title: t("ratio"), dataIndex: "ratio", align: "right", render: (v: string, u) => (u.isReference ? "1" : `${v} ${current.referenceCode ?? ""}`) },
                    { title: t("rounding"), dataIndex: "rounding", align: "right" },
                    { title: t("reference"), dataIndex: "isReference", align: "center", render: (v: boolean) => (v ? <Tag color="blue">{t("reference")}</Tag> : "") },
                    { title: t("itemsUsing"), dataIndex: "itemCount", align: "right" },
                    { title: t("status"), dataIndex: "active", render: (v: boolean) => <ActiveTag active={v} /> },
                    ...(canEdit
                      ? [
                          {
                            title: tc("actions"),
                            key: "actions",
                            width: 100,
                            render: (_: unknown, u: Uom) => <EditDeleteButtons onEdit={() => setUnitEditing(u)} onDelete={() => remove(u)} editTestId={`unit-edit-${u.code}`} />,
                          },
                        ]
                      : []),
                  ]}
                />
              </>
            )}
          </Card>
          <div style={{ marginTop: 12 }}>
            <Converter units={units.data ?? []} defaultFrom={rows.find((u) => !u.isReference)?.id} defaultTo={rows.find((u) => u.isReference)?.id} />
          </div>
        </Col>
      </Row>
      <CategoryModal editing={catEditing} onClose={() => setCatEditing(null)} onSaved={(id) => {
              setCatEditing(null);
              setSelected(id);
            }} />
      <UnitModal editing={unitEditing} category={current} onClose={() => setUnitEditing(null)} />
    </>
  );
}
