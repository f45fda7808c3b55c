import { PlusOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { useNavigate, useSearchParams } from "react-router-dom";
import { useAuth } from "../../../auth/AuthProvider";
import { PageHeader } from "../../../components/PageHeader";
import { common } from "../../../i18n/common";
import { useT } from "../../../i18n/core";
import type { RoutingSummaryRow } from "./api";
import { engText } from "./i18n";
import { Qty, WorkCentreSelect } from "./parts";
import { useVersionedList, VersionedListCard } from "./versionedList";

export default function RoutingsPage() {
  const t = useT(engText);
  const tc = useT(common);
  const { can } = useAuth();
  const navigate = useNavigate();
  // The work centre filter lives in the URL, so that a link can open the list filtered by one.
  const [params, setParams] = useSearchParams();
  const workCentreId = Number(params.get("workCentreId")) || undefined;
  const list = useVersionedList<RoutingSummaryRow>("routing", { workCentreId });

  return (
    <>
      <PageHeader
        title={t("routingTitle")}
        extra={
          can("masterdata.routing.edit") && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/masterdata/routings/new")} data-testid="routing-create">
              {t("routingCreate")}
            </Button>
          )
        }
      />
      <VersionedListCard
        list={list}
        searchHint={t("searchRoutingHint")}
        filters={
          <>
            <div style={{ width: 260 }}>
              <WorkCentreSelect
                value={workCentreId ?? null}
                onChange={(v) => {
                  const next = new URLSearchParams(params);
                  if (v) next.set("workCentreId", String(v));
                  else next.delete("workCentreId");
                  setParams(next, { replace: true });
                  list.setPage(1);
                }}
                placeholder={t("workCentre")}
                testId="routing-wc-filter"
              />
            </div>
            {workCentreId && (
              <Button size="small" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
                {tc("reset")}
              </Button>
            )}
          </>
        }
        columns={[
          { title: t("routingLotSize"), dataIndex: "lotSize", width: 100, align: "right", render: (v: string) => <Qty value={v} /> },
          { title: t("operationCount"), dataIndex: "operationCount", width: 80, align: "right" },
        ]}
      />
    </>
  );
}
