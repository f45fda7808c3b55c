import { CheckOutlined, CloseOutlined, ReloadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Input, Space, Table, Typography } from "antd";
import { useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { type ReviewItem, useCampaigns, useMyItems } from "./api";
import { reviewText } from "./i18n";
import { DueCell, itemRowProps, PersonCell, RevokeModal, RoleCell, roleLabel, useConfirmItems } from "./parts";

export default function MyReviewsPage() {
  const t = useT(reviewText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const mine = useMyItems();
  const campaigns = useCampaigns(can("access.review.read"));
  const confirmItems = useConfirmItems();
  const [selected, setSelected] = useState<number[]>([]);
  const [revoking, setRevoking] = useState<ReviewItem | null>(null);
  const [q, setQ] = useState("");

  const open = campaigns.data?.find((c) => c.status === "open");
  const items = mine.data ?? [];
  const shown = useMemo(() => {
    const s = q.trim().toLowerCase();
    if (!s) return items;
    return items.filter((i) =>
      [i.displayName, i.username, i.role, i.roleNameZh, i.roleNameEn, i.userDepartmentZh, i.userDepartmentEn].some((v) => v?.toLowerCase().includes(s)),
    );
  }, [items, q]);
  // Selection survives a refetch only for rows still waiting (decided ones drop out of the list).
  const selectedItems = items.filter((i) => selected.includes(i.id));

  return (
    <>
      <PageHeader
        title={t("myTitle")}
        sub={open && <Typography.Text type="secondary">{t("openCampaign", { name: pickName(lang, open.nameZh, open.nameEn), due: formatDateTime(open.dueAt) })}</Typography.Text>}
        extra={
          can("access.review.read") && (
            <Link to="/access/reviews" data-testid="review-campaigns-link">
              {t("campaignsTitle")}
            </Link>
          )
        }
      />
      <Alert type="info" showIcon title={t("myIntro")} style={{ marginBottom: 12 }} />
      <Card size="small">
        <div className="kw-toolbar">
          <Button
            type="primary"
            icon={<CheckOutlined />}
            disabled={selectedItems.length === 0}
            onClick={() => confirmItems(selectedItems, () => setSelected([]))}
            data-testid="review-bulk-confirm"
          >
            {t("confirmSelected", { n: selectedItems.length })}
          </Button>
          <Input.Search allowClear placeholder={t("searchItems")} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} data-testid="review-mine-search" />
          <Button icon={<ReloadOutlined />} onClick={() => mine.refetch()} loading={mine.isFetching && !mine.isLoading}>
            {tc("refresh")}
          </Button>
        </div>
        <Table<ReviewItem>
          rowKey="id"
          size="small"
          loading={mine.isLoading}
          dataSource={shown}
          data-testid="review-mine-table"
          scroll={{ x: "max-content" }}
          locale={{ emptyText: t("myEmpty") }}
          onRow={(r) => itemRowProps(r, `review-row-${r.id}`)}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) }}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (total) => tc("total", { total }) }}
          columns={[
            {
              title: t("person"),
              key: "person",
              width: 220,
              sorter: (a, b) => a.displayName.localeCompare(b.displayName, lang),
              render: (_, r) => <PersonCell item={r} />,
            },
            {
              title: t("role"),
              key: "role",
              width: 200,
              sorter: (a, b) => roleLabel(a, lang).localeCompare(roleLabel(b, lang), lang),
              render: (_, r) => <RoleCell item={r} />,
            },
            {
              title: t("dueAt"),
              key: "due",
              width: 280,
              defaultSortOrder: "ascend",
              sorter: (a, b) => a.dueAt.localeCompare(b.dueAt),
              render: (_, r) => <DueCell item={r} />,
            },
            {
              title: tc("actions"),
              key: "actions",
              width: 200,
              fixed: "right",
              render: (_, r) => (
                <Space size={4}>
                  <Button size="small" icon={<CheckOutlined />} onClick={() => confirmItems([r])} data-testid={`review-confirm-${r.id}`}>
                    {t("confirm")}
                  </Button>
                  <Button size="small" danger icon={<CloseOutlined />} onClick={() => setRevoking(r)} data-testid={`review-revoke-${r.id}`}>
                    {t("revoke")}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <RevokeModal item={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}
