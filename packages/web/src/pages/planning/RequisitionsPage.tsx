import { useQuery } from "@tanstack/react-query";
import { Space, Table, Tag, Typography } from "antd";
import { Link } from "react-router-dom";
import { api } from "../../api/client";
import { groupDigits } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { pickName, useLang, useT } from "../../i18n/core";
import { DocumentListFilters, useDocumentList } from "./documentList";
import { type PlanKey, planText } from "./i18n";

interface Row {
  id: number;
  requisitionNo: string;
  supplierCode: string | null;
  supplierNameZh: string | null;
  supplierNameEn: string | null;
  currency: string;
  state: string;
  lineCount: number;
  total: string | null;
  firstNeedDate: string | null;
}

interface Line {
  id: number;
  lineNo: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uomCode: string;
  quantity: string;
  unitPrice: string | null;
  amount: string | null;
  leadTimeDays: number | null;
  releaseDate: string | null;
  needDate: string;
  pegging: { ref: string; qty: string; label: string | null }[];
}

function Lines({ id }: { id: number }) {
  const t = useT(planText);
  const { lang } = useLang();
  const { data } = useQuery({ queryKey: ["purchasing", "requisition", id], queryFn: () => api.get<{ lines: Line[] }>(`/api/purchasing/requisitions/${id}`) });
  return (
    <Table<Line>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={data?.lines}
      columns={[
        { title: "#", dataIndex: "lineNo", width: 40 },
        { title: t("item"), key: "item", render: (_, r) => `${r.itemCode} ${pickName(lang, r.itemNameZh, r.itemNameEn)}` },
        { title: t("quantity"), key: "q", align: "right", render: (_, r) => `${groupDigits(r.quantity)} ${r.uomCode}` },
        { title: t("unitPrice"), dataIndex: "unitPrice", align: "right", render: (v: string | null) => (v ? groupDigits(v) : "–") },
        { title: t("amount"), dataIndex: "amount", align: "right", render: (v: string | null) => (v ? groupDigits(v) : "–") },
        { title: t("leadTimeDays"), dataIndex: "leadTimeDays", align: "right" },
        { title: t("releaseDate"), dataIndex: "releaseDate" },
        { title: t("needDate"), dataIndex: "needDate" },
        {
          title: t("pegDemand"),
          key: "peg",
          render: (_, r) => (
            <Space wrap size={2}>
              {r.pegging.map((p) => (
                <Tag key={p.ref}>
                  {p.label ?? p.ref} · {p.qty}
                </Tag>
              ))}
            </Space>
          ),
        },
      ]}
    />
  );
}

/** Purchase requisitions, one per proposed supplier, with lines priced from the supplier items. */
export default function RequisitionsPage() {
  const t = useT(planText);
  const { lang } = useLang();
  const list = useDocumentList<Row>(["purchasing", "requisitions"], "/api/purchasing/requisitions");
  const { data, isFetching } = list;
  return (
    <div data-testid="requisitions-page">
      <PageHeader
        title={t("requisitionsTitle")}
        extra={<DocumentListFilters list={list} searchPlaceholder="searchRequisitions" states={["draft", "approved", "ordered", "cancelled"]} />}
      />
      <Table<Row>
        rowKey="id"
        size="small"
        loading={isFetching}
        dataSource={data?.items}
        pagination={list.pagination}
        expandable={{ expandedRowRender: (r) => <Lines id={r.id} /> }}
        onRow={(r) => ({ "data-testid": `pr-row-${r.requisitionNo}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t("requisitionNo"),
            dataIndex: "requisitionNo",
            render: (v: string, r) => (
              <Link to={`/purchasing/requisitions/${r.id}`} data-testid={`pr-link-${v}`}>
                <Typography.Text strong>{v}</Typography.Text>
              </Link>
            ),
          },
          {
            title: t("supplier"),
            key: "supplier",
            render: (_, r) => (r.supplierCode ? `${r.supplierCode} ${pickName(lang, r.supplierNameZh, r.supplierNameEn)}` : <Typography.Text type="secondary">{t("noSupplier")}</Typography.Text>),
          },
          { title: t("lines"), dataIndex: "lineCount", align: "right" },
          { title: t("total"), key: "total", align: "right", render: (_, r) => (r.total ? `${groupDigits(r.total)} ${r.currency}` : "–") },
          { title: t("firstNeed"), dataIndex: "firstNeedDate" },
          { title: t("state"), dataIndex: "state", render: (v: string) => <Tag>{t(`st_${v}` as PlanKey)}</Tag> },
        ]}
      />
    </div>
  );
}
