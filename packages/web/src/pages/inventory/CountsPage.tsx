import { PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Empty, Form, Input, Modal, Select, Space, Switch, Table, Typography } from "antd";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, type Page } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { STOCK_KINDS, useWarehouses } from "./api";
import { type InvKey, invText } from "./i18n";
import { ItemSelect, LocationSelect, StateTag } from "./parts";

interface CountRow {
  id: number;
  number: string;
  state: string;
  warehouseCode: string;
  warehouseNameZh: string;
  warehouseNameEn: string;
  blind: boolean;
  note: string | null;
  locationCount: number;
  lineCount: number;
  countedCount: number;
  createdByName: string;
  createdAt: string;
  approvedByName: string | null;
  approvedAt: string | null;
}

/** Physical inventory counts: the list, and a new count of a warehouse (all or some locations and items). */
export default function CountsPage() {
  const t = useT(invText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [state, setState] = useState<string | undefined>();
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const { data, isLoading, isFetching, refetch } = useQuery({
    queryKey: ["inventory", "counts", { state, q, page }],
    queryFn: () => api.get<Page<CountRow>>("/api/inventory/counts", { state, q: q.trim() || undefined, page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        title={t("countsTitle")}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching && !isLoading}>
              {tc("refresh")}
            </Button>
            {can("inventory.count.edit") && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="count-new">
                {t("newCount")}
              </Button>
            )}
          </>
        }
      />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t("number")} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 220 }} />
          <Select
            allowClear
            placeholder={t("allStates")}
            value={state}
            onChange={setState}
            options={["draft", "counting", "review", "posted", "cancelled"].map((s) => ({ value: s, label: t(`st_${s}` as InvKey) }))}
            style={{ width: 170 }}
          />
        </Space>
        <Table<CountRow>
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={data?.items ?? []}
          data-testid="counts-table"
          onRow={(r) => ({ onClick: () => navigate(`/inventory/counts/${r.id}`), style: { cursor: "pointer" } })}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("countEmpty")} /> }}
          pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showTotal: (total) => tc("total", { total }) }}
          columns={[
            {
              title: t("number"),
              dataIndex: "number",
              render: (v: string, r) => (
                <Link to={`/inventory/counts/${r.id}`} onClick={(e) => e.stopPropagation()} data-testid={`count-link-${v}`}>
                  {v}
                </Link>
              ),
            },
            { title: t("state"), dataIndex: "state", render: (v: string, r) => <StateTag state={v} testId={`count-state-${r.number}`} /> },
            { title: t("warehouse"), dataIndex: "warehouseCode", render: (v: string, r) => `${v} ${pickName(lang, r.warehouseNameZh, r.warehouseNameEn)}` },
            { title: t("countLocations"), dataIndex: "locationCount", align: "right" },
            { title: t("counted"), key: "progress", render: (_: unknown, r) => `${r.countedCount} / ${r.lineCount}` },
            { title: t("blind"), dataIndex: "blind", render: (v: boolean) => (v ? tc("yes") : tc("no")) },
            { title: t("createdBy"), dataIndex: "createdByName", render: (v: string, r) => `${v} · ${formatDateTime(r.createdAt)}` },
            { title: t("approvedBy"), dataIndex: "approvedByName", render: (v: string | null, r) => (v ? `${v} · ${formatDateTime(r.approvedAt)}` : "—") },
            { title: t("note"), dataIndex: "note", ellipsis: true, render: (v: string | null) => v ?? "—" },
          ]}
        />
      </Card>
      <NewCountModal open={creating} onClose={() => setCreating(false)} onCreated={(id) => navigate(`/inventory/counts/${id}`)} />
    </>
  );
}

function NewCountModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: number) => void }) {
  const t = useT(invText);
  const tc = useT(common);
  const { lang } = useLang();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ warehouseId: number; locationIds?: number[]; itemIds?: number[]; blind: boolean; note?: string }>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const warehouses = useWarehouses();
  const warehouseId = Form.useWatch("warehouseId", form);
  const [itemIds, setItemIds] = useState<{ key: number; id: number | null }[]>([]);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const r = await api.post<{ id: number }>(
        "/api/inventory/counts",
        { warehouseId: v.warehouseId, locationIds: v.locationIds?.length ? v.locationIds : undefined, itemIds: itemIds.map((x) => x.id).filter((x): x is number => !!x), blind: v.blind, note: v.note?.trim() || null },
        { idempotencyKey: idemKey() },
      );
      renewKey();
      message.success(tc("created"));
      await qc.invalidateQueries({ queryKey: ["inventory", "counts"] });
      onCreated(r.id);
    } catch (e) {
      showError(e, { form });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t("newCount")}
      onCancel={onClose}
      onOk={submit}
      okText={tc("create")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "count-create-submit" }}
      destroyOnHidden
      // Reset after closing, not while opening: a reset during the opening animation would close a
      // dropdown the user has already opened.
      afterClose={() => {
        form.resetFields();
        setItemIds([]);
      }}
    >
      <Form form={form} layout="vertical" initialValues={{ blind: true }} data-testid="count-form">
        <Form.Item name="warehouseId" label={t("warehouse")} rules={[{ required: true, message: tc("required", { field: t("warehouse") }) }]}>
          <Select
            options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${pickName(lang, w.nameZh, w.nameEn)}` }))}
            onChange={() => form.setFieldValue("locationIds", [])}
            data-testid="count-warehouse"
          />
        </Form.Item>
        <Form.Item name="locationIds" label={t("countLocations")} extra={t("countLocationsHint")}>
          <LocationSelect mode="multiple" kinds={STOCK_KINDS} warehouseId={warehouseId} testId="count-locations" />
        </Form.Item>
        <Form.Item label={t("countItems")} extra={t("countItemsHint")}>
          <Space orientation="vertical" style={{ width: "100%" }}>
            {itemIds.map((row, i) => (
              <ItemSelect key={row.key} value={row.id} onChange={(v) => setItemIds((l) => l.map((x) => (x.key === row.key ? { ...x, id: v } : x)))} testId={`count-item-${i}`} />
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => setItemIds((l) => [...l, { key: Date.now() + l.length, id: null }])} block>
              {t("countItems")}
            </Button>
          </Space>
        </Form.Item>
        <Form.Item name="blind" label={t("blind")} valuePropName="checked" extra={t("blindHint")}>
          <Switch data-testid="count-blind" />
        </Form.Item>
        <Form.Item name="note" label={t("note")}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Typography.Text type="secondary">{t("startText")}</Typography.Text>
      </Form>
    </Modal>
  );
}
