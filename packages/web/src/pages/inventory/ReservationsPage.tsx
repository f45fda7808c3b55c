import { PlusOutlined, ReloadOutlined, UnlockOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Empty, Form, Input, Modal, Select, Space, Table, Typography } from "antd";
import { useState } from "react";
import { api, type Page } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { useDebounced, useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/core";
import { type ItemOption, STOCK_KINDS } from "./api";
import { type InvKey, invText } from "./i18n";
import { ItemCell, ItemSelect, LocationSelect, LotSelect, Qty, StateTag } from "./parts";

interface ReservationRow {
  id: number;
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uom: string;
  locationCode: string;
  lotNo: string | null;
  refType: string;
  refId: string;
  quantity: string;
  reservedQty: string;
  state: "open" | "closed";
  note: string | null;
  createdByName: string;
  createdAt: string;
  version: number;
}

const REF_TYPES = ["sales_order", "work_order", "transfer_order", "other"];
const QTY_RE = /^\d{1,12}(\.\d{1,6})?$/;

/** Stock set aside for orders: reduces what is available to others until issued for the order or released. */
export default function ReservationsPage() {
  const t = useT(invText);
  const tc = useT(common);
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [state, setState] = useState<"open" | "closed" | undefined>("open");
  const [q, setQ] = useState("");
  const dq = useDebounced(q.trim(), 300);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const canEdit = can("inventory.reservation.edit");
  const { data, isLoading, isFetching, refetch } = useQuery({
    queryKey: ["inventory", "reservations", { state, dq, page }],
    queryFn: () => api.get<Page<ReservationRow>>("/api/inventory/reservations", { state, q: dq || undefined, page, pageSize: 50 }),
    placeholderData: keepPreviousData,
  });

  const release = (r: ReservationRow) => {
    let qty = "";
    modal.confirm({
      title: t("releaseTitle"),
      content: (
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Typography.Text>{t("releaseText")}</Typography.Text>
          <Typography.Text>
            {r.itemCode} · {r.refId} · {t("remaining")}: {r.quantity} {r.uom}
          </Typography.Text>
          <Input placeholder={t("releaseQty")} onChange={(e) => (qty = e.target.value.trim())} data-testid="reservation-release-qty" />
        </Space>
      ),
      okText: t("release"),
      cancelText: tc("cancel"),
      okButtonProps: { "data-testid": "reservation-release-confirm" },
      onOk: async () => {
        try {
          await api.post(`/api/inventory/reservations/${r.id}/release`, { version: r.version, ...(qty ? { quantity: qty } : {}) });
          message.success(t("releasedMsg"));
          await qc.invalidateQueries({ queryKey: ["inventory"] });
        } catch (e) {
          showError(e, { onConflict: () => void refetch() });
          throw e;
        }
      },
    });
  };

  return (
    <>
      <PageHeader
        title={t("reservationsTitle")}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching && !isLoading}>
              {tc("refresh")}
            </Button>
            {canEdit && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="reservation-new">
                {t("newReservation")}
              </Button>
            )}
          </>
        }
      />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t("search")} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 300 }} />
          <Select
            allowClear
            value={state}
            onChange={setState}
            placeholder={t("allStates")}
            options={[
              { value: "open", label: t("st_open") },
              { value: "closed", label: t("st_closed") },
            ]}
            style={{ width: 130 }}
          />
        </Space>
        <Table<ReservationRow>
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={data?.items ?? []}
          scroll={{ x: "max-content" }}
          data-testid="reservations-table"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("reservationEmpty")} /> }}
          pagination={{ current: page, pageSize: 50, total: data?.total ?? 0, onChange: setPage, showTotal: (total) => tc("total", { total }) }}
          columns={[
            { title: t("refType"), dataIndex: "refType", render: (v: string) => (REF_TYPES.includes(v) ? t(`ref_${v}` as InvKey) : v) },
            { title: t("refId"), dataIndex: "refId" },
            { title: t("item"), dataIndex: "itemCode", render: (_: unknown, r) => <ItemCell code={r.itemCode} nameZh={r.itemNameZh} nameEn={r.itemNameEn} /> },
            { title: t("location"), dataIndex: "locationCode" },
            { title: t("lot"), dataIndex: "lotNo", render: (v: string | null) => v ?? "—" },
            { title: t("reservedQty"), dataIndex: "reservedQty", align: "right", render: (v: string, r) => <Qty value={v} uom={r.uom} /> },
            { title: t("remaining"), dataIndex: "quantity", align: "right", render: (v: string, r) => <Qty value={v} uom={r.uom} /> },
            { title: t("state"), dataIndex: "state", render: (v: string) => <StateTag state={v} /> },
            {
              title: t("createdBy"),
              dataIndex: "createdByName",
              render: (v: string, r) => (
                <Space orientation="vertical" size={0}>
                  <span>{v}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(r.createdAt)}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t("note"), dataIndex: "note", ellipsis: true, render: (v: string | null) => v ?? "—" },
            ...(canEdit
              ? [
                  {
                    title: tc("actions"),
                    key: "actions",
                    fixed: "right" as const,
                    width: 90,
                    render: (_: unknown, r: ReservationRow) =>
                      r.state === "open" ? (
                        <Button type="link" size="small" icon={<UnlockOutlined />} onClick={() => release(r)} data-testid={`reservation-release-${r.refId}`}>
                          {t("release")}
                        </Button>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <NewReservation open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function NewReservation({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT(invText);
  const tc = useT(common);
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ itemId: number; locationId: number; lotId?: number | null; quantity: string; refType: string; refId: string; note?: string }>();
  const [item, setItem] = useState<ItemOption | undefined>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const itemId = Form.useWatch("itemId", form);
  const locationId = Form.useWatch("locationId", form);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post("/api/inventory/reservations", { ...v, quantity: v.quantity.trim(), refId: v.refId.trim(), lotId: v.lotId ?? null, note: v.note?.trim() || null }, { idempotencyKey: idemKey() });
      renewKey();
      message.success(t("reservedMsg"));
      await qc.invalidateQueries({ queryKey: ["inventory"] });
      onClose();
    } catch (e) {
      showError(e, { form });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t("newReservation")}
      onCancel={onClose}
      onOk={submit}
      okText={tc("save")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "reservation-submit" }}
      destroyOnHidden
      afterOpenChange={(o) => o && form.resetFields()}
    >
      <Form form={form} layout="vertical" initialValues={{ refType: "sales_order" }} data-testid="reservation-form">
        <Form.Item name="itemId" label={t("item")} rules={[{ required: true, message: tc("required", { field: t("item") }) }]}>
          <ItemSelect onItem={setItem} testId="reservation-item" />
        </Form.Item>
        <Form.Item name="locationId" label={t("location")} rules={[{ required: true, message: tc("required", { field: t("location") }) }]}>
          <LocationSelect kinds={STOCK_KINDS} testId="reservation-location" />
        </Form.Item>
        {item && item.tracking !== "none" && (
          <Form.Item name="lotId" label={t("lot")} rules={[{ required: true, message: t("chooseLot") }]}>
            <LotSelect itemId={itemId} locationId={locationId} testId="reservation-lot" />
          </Form.Item>
        )}
        <Form.Item name="quantity" label={t("quantity")} rules={[{ required: true, message: tc("required", { field: t("quantity") }) }, { pattern: QTY_RE, message: "0.000001 – 999999999999" }]}>
          <Input suffix={item?.uom} data-testid="reservation-qty" />
        </Form.Item>
        <Space.Compact style={{ width: "100%" }}>
          <Form.Item name="refType" label={t("refType")} style={{ width: "40%" }} rules={[{ required: true }]}>
            <Select options={REF_TYPES.map((r) => ({ value: r, label: t(`ref_${r}` as InvKey) }))} data-testid="reservation-ref-type" />
          </Form.Item>
          <Form.Item name="refId" label={t("refId")} style={{ width: "60%" }} rules={[{ required: true, whitespace: true, message: tc("required", { field: t("refId") }) }]}>
            <Input maxLength={64} data-testid="reservation-ref-id" />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="note" label={t("note")}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
