import { DeleteOutlined, EditOutlined, PlusOutlined, StopOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Checkbox, Col, Descriptions, Empty, Form, Input, List, Row, Select, Space, Switch, Table, Tag, Tree, Typography } from "antd";
import type { DataNode } from "antd/es/tree";
import { useEffect, useMemo, useState } from "react";
import { api } from "../../../api/client";
import { useApiError } from "../../../api/errors";
import { useAllDepartments } from "../../../api/queries";
import { useAuth } from "../../../auth/AuthProvider";
import { PageHeader } from "../../../components/PageHeader";
import { ActiveItem, CodeItem, FormModal, NameItems, useRecordForm } from "../../../components/recordForm";
import { pickName } from "../../../i18n/core";
import { LOCATION_KINDS, type Location, MD, VIRTUAL_KINDS, type Warehouse, fetchAll, useAllWarehouses } from "./api";
import { ActiveTag, CreateButton, ExportButtons, P, useCatalogText, useConfirmDelete } from "./parts";

const LOC_CODE = /^[A-Z0-9][A-Z0-9_./-]{0,39}$/;

interface WarehouseValues {
  code: string;
  nameZh: string;
  nameEn: string;
  departmentId?: number | null;
  address?: string | null;
  defaultLocations?: boolean;
  active?: boolean;
}

function WarehouseModal({ editing, onClose, onSaved }: { editing: Warehouse | "new" | null; onClose: () => void; onSaved: (id: number) => void }) {
  const { t, lang } = useCatalogText();
  const { can } = useAuth();
  const qc = useQueryClient();
  const { form, busy, save, idemKey, renewKey } = useRecordForm<WarehouseValues>({ onConflict: () => void qc.invalidateQueries({ queryKey: ["md", "warehouses"] }).then(onClose) });
  const depts = useAllDepartments(editing !== null && can("org.read"));
  useEffect(() => {
    if (!editing) return;
    renewKey();
    form.resetFields();
    form.setFieldsValue(editing === "new" ? { defaultLocations: true } : editing);
  }, [editing, form, renewKey]);
  const submit = (v: WarehouseValues) =>
    save(async () => {
      if (editing === "new") {
        const r = await api.post<Warehouse>(
          `${MD}/warehouses`,
          { code: v.code, nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), departmentId: v.departmentId ?? null, address: v.address?.trim() || null, defaultLocations: v.defaultLocations },
          { idempotencyKey: idemKey() },
        );
        onSaved(r.id);
      } else if (editing) {
        await api.patch(
          `${MD}/warehouses/${editing.id}`,
          { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), departmentId: v.departmentId ?? null, address: v.address?.trim() || null, active: v.active },
          { version: editing.version },
        );
        onSaved(editing.id);
      }
      await qc.invalidateQueries({ queryKey: ["md", "warehouses"] });
      await qc.invalidateQueries({ queryKey: ["md", "locations"] });
    });
  return (
    <FormModal open={editing !== null} title={editing === "new" ? t("whCreate") : t("whEdit")} form={form} busy={busy} onClose={onClose} submitTestId="wh-form-submit">
      <Form form={form} layout="vertical" onFinish={submit} data-testid="wh-form">
        <CodeItem label={t("whCode")} disabled={editing !== "new"} testId="wh-code" />
        <NameItems testId="wh" />
        <Form.Item name="departmentId" label={t("whDepartment")}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            options={(depts.data ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: `${pickName(lang, d.nameZh, d.nameEn)} (${d.code})` }))}
          />
        </Form.Item>
        <Form.Item name="address" label={t("whAddress")}>
          <Input maxLength={500} />
        </Form.Item>
        {editing === "new" ? (
          <Form.Item name="defaultLocations" valuePropName="checked">
            <Checkbox data-testid="wh-default-locations">{t("whDefaultLocations")}</Checkbox>
          </Form.Item>
        ) : (
          <ActiveItem />
        )}
      </Form>
    </FormModal>
  );
}

type LocEditing = { mode: "create"; warehouseId: number | null; parentId: number | null; kind: Location["kind"] } | { mode: "edit"; loc: Location };

interface LocationValues {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: Location["kind"];
  parentId?: number | null;
  isDefault: boolean;
  allowNegativeStock: boolean;
}

function LocationModal({ editing, locations, onClose }: { editing: LocEditing | null; locations: Location[]; onClose: () => void }) {
  const { t, label } = useCatalogText();
  const qc = useQueryClient();
  const { form, busy, save, idemKey, renewKey } = useRecordForm<LocationValues>({ onConflict: () => void qc.invalidateQueries({ queryKey: ["md", "locations"] }).then(onClose) });
  const warehouseId = editing?.mode === "edit" ? editing.loc.warehouseId : (editing?.warehouseId ?? null);
  useEffect(() => {
    if (!editing) return;
    renewKey();
    form.resetFields();
    if (editing.mode === "create") form.setFieldsValue({ parentId: editing.parentId, kind: editing.kind, isDefault: false, allowNegativeStock: false });
    else form.setFieldsValue(editing.loc);
  }, [editing, form, renewKey]);
  const parents = locations.filter((l) => l.warehouseId === warehouseId && l.active && (editing?.mode !== "edit" || l.id !== editing.loc.id));
  const submit = (v: LocationValues) =>
    save(async () => {
      if (editing?.mode === "create") {
        await api.post(
          `${MD}/locations`,
          {
            code: v.code,
            nameZh: v.nameZh.trim(),
            nameEn: v.nameEn.trim(),
            kind: v.kind,
            ...(v.parentId ? { parentId: v.parentId } : { warehouseId }),
            isDefault: v.isDefault,
            allowNegativeStock: v.allowNegativeStock,
          },
          { idempotencyKey: idemKey() },
        );
      } else if (editing?.mode === "edit") {
        const l = editing.loc;
        const changes: Record<string, unknown> = {};
        if (v.code !== l.code) changes.code = v.code;
        if (v.nameZh.trim() !== l.nameZh) changes.nameZh = v.nameZh.trim();
        if (v.nameEn.trim() !== l.nameEn) changes.nameEn = v.nameEn.trim();
        if ((v.parentId ?? null) !== l.parentId) changes.parentId = v.parentId ?? null;
        if (v.isDefault !== l.isDefault) changes.isDefault = v.isDefault;
        if (v.allowNegativeStock !== l.allowNegativeStock) changes.allowNegativeStock = v.allowNegativeStock;
        if (Object.keys(changes).length > 0) await api.patch(`${MD}/locations/${l.id}`, changes, { version: l.version });
      }
      await qc.invalidateQueries({ queryKey: ["md", "locations"] });
      await qc.invalidateQueries({ queryKey: ["md", "warehouses"] });
      onClose();
    });
  const virtual = warehouseId === null;
  return (
    <FormModal open={editing !== null} title={editing?.mode === "edit" ? t("locEdit") : t("locCreate")} form={form} busy={busy} onClose={onClose} submitTestId="loc-form-submit">
      <Form form={form} layout="vertical" onFinish={submit} data-testid="loc-form">
        <CodeItem label={t("locCode")} pattern={LOC_CODE} maxLength={40} testId="loc-code" />
        <NameItems testId="loc" />
        <Form.Item name="kind" label={t("locKind")} rules={[{ required: true }]}>
          <Select
            disabled={editing?.mode === "edit"}
            options={LOCATION_KINDS.filter((k) => (virtual ? VIRTUAL_KINDS.includes(k) || k === "production" : !VIRTUAL_KINDS.includes(k))).map((k) => ({ value: k, label: label("kind", k) }))}
            data-testid="loc-kind"
          />
        </Form.Item>
        {!virtual && (
          <Form.Item name="parentId" label={t("locParent")}>
            <Select allowClear placeholder={t("locTopLevel")} options={parents.map((p) => ({ value: p.id, label: `${p.code} ${p.nameZh}` }))} showSearch={{ optionFilterProp: "label" }} data-testid="loc-parent" />
          </Form.Item>
        )}
        <Space size={24}>
          <Form.Item name="isDefault" valuePropName="checked">
            <Checkbox data-testid="loc-default">{t("locDefault")}</Checkbox>
          </Form.Item>
          <Form.Item name="allowNegativeStock" valuePropName="checked">
            <Checkbox>{t("locAllowNegative")}</Checkbox>
          </Form.Item>
        </Space>
      </Form>
    </FormModal>
  );
}

function tree(locations: Location[], parentId: number | null, lang: "zh-CN" | "en-US", kindLabel: (k: string) => string, tDefault: string, tInactive: string): DataNode[] {
  return locations
    .filter((l) => l.parentId === parentId)
    .map((l) => ({
      key: l.id,
      title: (
        <span data-testid={`loc-node-${l.code}`} style={{ opacity: l.active ? 1 : 0.55 }}>
          {pickName(lang, l.nameZh, l.nameEn)}{" "}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {l.code}
          </Typography.Text>{" "}
          <Tag style={{ marginInlineStart: 4 }}>{kindLabel(l.kind)}</Tag>
          {l.isDefault && <Tag color="blue">{tDefault}</Tag>}
          {!l.active && <Tag>{tInactive}</Tag>}
        </span>
      ),
      children: locations.some((c) => c.parentId === l.id) ? tree(locations, l.id, lang, kindLabel, tDefault, tInactive) : undefined,
    }));
}

export default function WarehousesPage() {
  const { t, tc, label, lang } = useCatalogText();
  const { can } = useAuth();
  const { modal } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const confirmDelete = useConfirmDelete();
  const whs = useAllWarehouses();
  const locs = useQuery({ queryKey: ["md", "locations", "all"], queryFn: () => fetchAll<Location>(`${MD}/locations`, { sort: "code" }) });
  const [selected, setSelected] = useState<number | null>(null);
  const [selectedLoc, setSelectedLoc] = useState<number | null>(null);
  const [whEditing, setWhEditing] = useState<Warehouse | "new" | null>(null);
  const [locEditing, setLocEditing] = useState<LocEditing | null>(null);
  const [showInactive, setShowInactive] = useState(false);
  const canEdit = can(P.whEdit);
  const warehouses = whs.data ?? [];
  const current = warehouses.find((w) => w.id === selected) ?? warehouses[0];
  const all = locs.data ?? [];
  const inWh = useMemo(() => all.filter((l) => l.warehouseId === current?.id && (showInactive || l.active)), [all, current, showInactive]);
  const virtual = all.filter((l) => l.warehouseId === null);
  const loc = all.find((l) => l.id === selectedLoc && l.warehouseId === current?.id);
  const treeData = useMemo(() => tree(inWh, null, lang, (k) => label("kind", k), t("locDefaultTag"), tc("inactive")), [inWh, lang, label, t, tc]);

  const patchLoc = (l: Location, changes: Record<string, unknown>) =>
    api
      .patch(`${MD}/locations/${l.id}`, changes, { version: l.version })
      .then(() => qc.invalidateQueries({ queryKey: ["md", "locations"] }))
      .catch(showError);

  const deactivate = (l: Location) =>
    modal.confirm({
      title: t("confirmDeactivate", { name: l.code }),
      okText: t("deactivate"),
      okButtonProps: { danger: true, "data-testid": "loc-deactivate-confirm" },
      cancelText: tc("cancel"),
      onOk: () => patchLoc(l, { active: false }),
    });
  const remove = (l: Location) =>
    confirmDelete({
      name: l.code,
      path: `${MD}/locations/${l.id}`,
      confirmTestId: "loc-delete-confirm",
      onDeleted: () => {
        setSelectedLoc(null);
        return qc.invalidateQueries({ queryKey: ["md", "locations"] });
      },
    });

  return (
    <>
      <PageHeader title={t("whTitle")} extra={canEdit && <CreateButton label={t("whCreate")} onClick={() => setWhEditing("new")} testId="wh-create" />} />
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={7}>
          <Card size="small" title={t("whList")} extra={<ExportButtons size="small" path={`${MD}/warehouses/export`} query={{}} testId="warehouses" />}>
            <List
              loading={whs.isLoading}
              dataSource={warehouses}
              data-testid="wh-list"
              renderItem={(w) => (
                <List.Item
                  onClick={() => {
              setSelected(w.id);
              setSelectedLoc(null);
            }}
                  style={{ cursor: "pointer", background: w.id === current?.id ? "#e6f4ff" : undefined, paddingInline: 8, borderRadius: 6 }}
                  data-testid={`wh-${w.code}`}
                >
                  <List.Item.Meta
                    title={
                      <Space>
                        {pickName(lang, w.nameZh, w.nameEn)}
                        <Typography.Text type="secondary">{w.code}</Typography.Text>
                        {!w.active && <Tag>{tc("inactive")}</Tag>}
                      </Space>
                    }
                    description={t("locCount", { count: w.locationCount })}
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={17}>
          {!current ? (
            <Card size="small">
              <Empty description={t("whSelect")} />
            </Card>
          ) : (
            <Card
              size="small"
              title={`${pickName(lang, current.nameZh, current.nameEn)} (${current.code})`}
              extra={
                <Space>
                  <ExportButtons size="small" path={`${MD}/locations/export`} query={{ warehouseId: current.id, sort: "code" }} testId="locations" />
                  {canEdit && (
                    <>
                      <Button size="small" icon={<EditOutlined />} onClick={() => setWhEditing(current)} data-testid="wh-edit">
                        {tc("edit")}
                      </Button>
                      <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setLocEditing({ mode: "create", warehouseId: current.id, parentId: null, kind: "internal" })} data-testid="loc-create">
                        {t("locCreate")}
                      </Button>
                    </>
                  )}
                </Space>
              }
            >
              <Descriptions
                size="small"
                column={{ xs: 1, md: 3 }}
                items={[
                  { key: "dept", label: t("whDepartment"), children: current.departmentId ? pickName(lang, current.departmentNameZh, current.departmentNameEn) : "—" },
                  { key: "addr", label: t("whAddress"), children: current.address ?? "—" },
                  { key: "st", label: t("status"), children: <ActiveTag active={current.active} /> },
                ]}
              />
              <Row gutter={12} style={{ marginTop: 8 }}>
                <Col xs={24} md={13}>
                  <Space style={{ marginBottom: 8 }}>
                    <Switch size="small" checked={showInactive} onChange={setShowInactive} />
                    <Typography.Text type="secondary">{t("showInactive")}</Typography.Text>
                  </Space>
                  <div data-testid="loc-tree" style={{ minHeight: 160 }}>
                    {treeData.length === 0 ? (
                      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
                    ) : (
                      <Tree key={`${current.id}-${showInactive}`} blockNode showLine defaultExpandAll treeData={treeData} selectedKeys={loc ? [loc.id] : []} onSelect={(_k, info) => setSelectedLoc(Number(info.node.key))} />
                    )}
                  </div>
                </Col>
                <Col xs={24} md={11}>
                  {!loc ? (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("whPickLocation")} />
                  ) : (
                    <Card size="small" type="inner" title={`${loc.code}`} data-testid="loc-detail">
                      <Descriptions
                        size="small"
                        column={1}
                        items={[
                          { key: "name", label: tc("name"), children: pickName(lang, loc.nameZh, loc.nameEn) },
                          { key: "kind", label: t("locKind"), children: label("kind", loc.kind) },
                          { key: "parent", label: t("locParent"), children: loc.parentCode ?? t("locTopLevel") },
                          { key: "default", label: t("default"), children: loc.isDefault ? t("yes") : t("no") },
                          { key: "neg", label: t("locAllowNegative"), children: loc.allowNegativeStock ? t("yes") : t("no") },
                          { key: "st", label: t("status"), children: <ActiveTag active={loc.active} /> },
                        ]}
                      />
                      {canEdit && (
                        <Space wrap style={{ marginTop: 8 }}>
                          <Button size="small" icon={<EditOutlined />} onClick={() => setLocEditing({ mode: "edit", loc })} data-testid="loc-edit">
                            {tc("edit")}
                          </Button>
                          {loc.active && (
                            <Button size="small" icon={<PlusOutlined />} onClick={() => setLocEditing({ mode: "create", warehouseId: current.id, parentId: loc.id, kind: loc.kind })} data-testid="loc-create-child">
                              {t("locCreateChild")}
                            </Button>
                          )}
                          {loc.active ? (
                            <Button size="small" icon={<StopOutlined />} onClick={() => deactivate(loc)} data-testid="loc-deactivate">
                              {t("deactivate")}
                            </Button>
                          ) : (
                            <Button size="small" onClick={() => patchLoc(loc, { active: true })}>
                              {t("reactivate")}
                            </Button>
                          )}
                          <Button size="small" danger icon={<DeleteOutlined />} onClick={() => remove(loc)} data-testid="loc-delete">
                            {t("delete")}
                          </Button>
                        </Space>
                      )}
                    </Card>
                  )}
                </Col>
              </Row>
            </Card>
          )}
          <Card size="small" title={t("whVirtual")} style={{ marginTop: 12 }} data-testid="virtual-locations">
            <Alert type="info" showIcon title={t("whVirtualHint")} style={{ marginBottom: 8 }} />
            <Table<Location>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={virtual}
              columns={[
                { title: t("locCode"), dataIndex: "code" },
                { title: tc("name"), key: "name", render: (_, l) => pickName(lang, l.nameZh, l.nameEn) },
                { title: t("locKind"), dataIndex: "kind", render: (k: string) => label("kind", k) },
                { title: t("default"), dataIndex: "isDefault", render: (v: boolean) => (v ? <Tag color="blue">{t("locDefaultTag")}</Tag> : "") },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <WarehouseModal editing={whEditing} onClose={() => setWhEditing(null)} onSaved={(id) => {
              setWhEditing(null);
              setSelected(id);
            }} />
      <LocationModal editing={locEditing} locations={all} onClose={() => setLocEditing(null)} />
    </>
  );
}
