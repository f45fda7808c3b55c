import { PlusOutlined } from "@ant-design/icons";
import { Button, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthProvider";
import { PageHeader } from "../../components/PageHeader";
import { pickName, useLang, useT } from "../../i18n/core";
import { type PlanKey, planText } from "./i18n";
import { DocumentListFilters, useDocumentList } from "./documentList";
import { NewProductionOrderDrawer } from "./NewProductionOrder";

interface Row {
  id: number;
  orderNo: string;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uomCode: string;
  quantity: string;
  startDate: string | null;
  dueDate: string;
  state: string;
  bomVersion: string | null;
  routingVersion: string | null;
  sourcePlanVersionId: number | null;
  sourcePlannedOrder: string | null;
  pegging: { ref: string; qty: string; label: string | null }[];
}

/** Production orders (drafts for now, most of them converted from MRP), with the demand each one serves. */
export default function ProductionOrdersPage() {
  const t = useT(planText);
  const { lang } = useLang();
  const [creating, setCreating] = useState(false);
  const { can } = useAuth();
  const list = useDocumentList<Row>(["production", "orders"], "/api/production/orders");
  const { data, isFetching } = list;
  return (
    <div data-testid="production-orders-page">
      <PageHeader
        title={t("productionTitle")}
        extra={
          <>
            <DocumentListFilters list={list} searchPlaceholder="search" states={["draft", "released", "closed", "cancelled"]} />
            {can("production.order.edit") && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="mo-new">
                {t("newOrder")}
              </Button>
            )}
          </>
        }
      />
      <Table<Row>
        rowKey="id"
        size="small"
        loading={isFetching}
        dataSource={data?.items}
        pagination={list.pagination}
        expandable={{
          rowExpandable: (r) => r.pegging.length > 0,
          expandedRowRender: (r) => (
            <Space wrap>
              {t("pegDemand")}:
              {r.pegging.map((p) => (
                <Tag key={p.ref}>
                  {p.label ?? p.ref} · {p.qty}
                </Tag>
              ))}
            </Space>
          ),
        }}
        onRow={(r) => ({ "data-testid": `mo-row-${r.orderNo}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t("orderNo"),
            dataIndex: "orderNo",
            render: (v: string, r) => (
              <Link to={`/production/orders/${r.id}`} data-testid={`mo-link-${v}`}>
                <Typography.Text strong>{v}</Typography.Text>
              </Link>
            ),
          },
          {
            title: t("item"),
            key: "item",
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text>{r.itemCode}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {pickName(lang, r.itemNameZh, r.itemNameEn)}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t("quantity"), key: "qty", align: "right", render: (_, r) => `${r.quantity} ${r.uomCode}` },
          { title: t("startDateCol"), dataIndex: "startDate" },
          { title: t("dueDate"), dataIndex: "dueDate" },
          { title: t("bom"), dataIndex: "bomVersion" },
          { title: t("routing"), dataIndex: "routingVersion" },
          { title: t("state"), dataIndex: "state", render: (v: string) => <Tag>{t(`st_${v}` as PlanKey)}</Tag> },
          { title: t("orderKey"), dataIndex: "sourcePlannedOrder" },
        ]}
      />
      <NewProductionOrderDrawer open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
