import { systemActor } from "../../../platform/actor.ts";
import type { DemoContext } from "../../../platform/module.ts";
import { execute } from "../../../platform/pipeline.ts";
import type { Runtime } from "../../../platform/runtime.ts";
import { storeContent, uploadAttachment } from "./attachments.ts";
import type { ItemCreateInput } from "./items.ts";
import { createItem, setItemStatus } from "./items.ts";
import { createPartner, createPaymentTerm, setPartnerStatus } from "./partners.ts";
import { createSupplierItem } from "./supplier-items.ts";
import { createUom, createUomCategory } from "./units.ts";
import { createLocation, createWarehouse, listLocations } from "./warehouses.ts";

// The demo company makes electric desk fans (电风扇): two finished models, their sub-assemblies,
// purchased parts and raw materials, two warehouses, six suppliers and four customers.

const CATEGORIES: [code: string, zh: string, en: string][] = [
  ["COUNT", "数量", "Count"],
  ["MASS", "重量", "Mass"],
  ["LENGTH", "长度", "Length"],
  ["TIME", "时间", "Time"],
];

const UNITS: { cat: string; code: string; zh: string; en: string; ratio: string; rounding: string }[] = [
  { cat: "COUNT", code: "pcs", zh: "个", en: "piece", ratio: "1", rounding: "1" },
  { cat: "COUNT", code: "dz", zh: "打", en: "dozen", ratio: "12", rounding: "1" },
  { cat: "COUNT", code: "box12", zh: "箱（12 个）", en: "box of 12", ratio: "12", rounding: "1" },
  { cat: "COUNT", code: "box", zh: "盒", en: "box", ratio: "100", rounding: "1" },
  { cat: "MASS", code: "kg", zh: "千克", en: "kilogram", ratio: "1", rounding: "0.001" },
  { cat: "MASS", code: "g", zh: "克", en: "gram", ratio: "0.001", rounding: "0.1" },
  { cat: "MASS", code: "t", zh: "吨", en: "tonne", ratio: "1000", rounding: "0.000001" },
  { cat: "MASS", code: "bag25", zh: "袋（25 千克）", en: "bag of 25 kg", ratio: "25", rounding: "1" },
  { cat: "LENGTH", code: "m", zh: "米", en: "metre", ratio: "1", rounding: "0.01" },
  { cat: "LENGTH", code: "mm", zh: "毫米", en: "millimetre", ratio: "0.001", rounding: "1" },
  { cat: "TIME", code: "h", zh: "小时", en: "hour", ratio: "1", rounding: "0.01" },
  { cat: "TIME", code: "min", zh: "分钟", en: "minute", ratio: "0.016666666667", rounding: "1" },
];

type DemoItem = Omit<ItemCreateInput, "baseUomId" | "purchaseUomId" | "salesUomId" | "alternativeUnits"> & {
  uom: string;
  purchaseUom?: string;
  salesUom?: string;
  alt?: [unit: string, factor?: string][];
};

const FG = (x: Partial<DemoItem>) => ({ itemType: "finished", makeOrBuy: "make", valuationMethod: "standard", ...x }) as DemoItem;
const SEMI = (x: Partial<DemoItem>) => ({ itemType: "semi", makeOrBuy: "make", valuationMethod: "standard", ...x }) as DemoItem;
const BUY = (x: Partial<DemoItem>) => ({ itemType: "raw", makeOrBuy: "buy", valuationMethod: "moving_average", ...x }) as DemoItem;

const ITEMS: DemoItem[] = [
  FG({
    code: "KW-FAN-40",
    nameZh: "台扇 40cm",
    nameEn: "Desk fan 40 cm",
    spec: "FS40-3 / 220V 50Hz 45W / 三档 摇头",
    uom: "pcs",
    alt: [["box12"]],
    leadTimeDays: 3,
    safetyStock: "40",
    lotSizeRule: "multiple",
    lotSizeMultiple: "50",
    tracking: "serial",
    standardCost: "86.5",
    abcClass: "A",
    barcode: "6920123450015",
  }),
  FG({
    code: "KW-FAN-30",
    nameZh: "台扇 30cm",
    nameEn: "Desk fan 30 cm",
    spec: "FS30-3 / 220V 50Hz 35W / 三档",
    uom: "pcs",
    alt: [["box12"]],
    leadTimeDays: 3,
    safetyStock: "30",
    lotSizeRule: "multiple",
    lotSizeMultiple: "50",
    standardCost: "62.8",
    abcClass: "A",
    barcode: "6920123450022",
  }),
  SEMI({ code: "KW-MOT-40", nameZh: "电机组件（40cm）", nameEn: "Motor assembly (40 cm)", spec: "45W 单相电容运转", uom: "pcs", leadTimeDays: 2, standardCost: "32.4", abcClass: "A" }),
  SEMI({ code: "KW-MOT-30", nameZh: "电机组件（30cm）", nameEn: "Motor assembly (30 cm)", spec: "35W 单相电容运转", uom: "pcs", leadTimeDays: 2, standardCost: "24.6", abcClass: "A" }),
  SEMI({ code: "KW-HEAD-40", nameZh: "机头组件（40cm）", nameEn: "Head assembly (40 cm)", uom: "pcs", leadTimeDays: 1, standardCost: "48.9", abcClass: "A" }),
  SEMI({ code: "KW-HEAD-30", nameZh: "机头组件（30cm）", nameEn: "Head assembly (30 cm)", uom: "pcs", leadTimeDays: 1, standardCost: "36.2", abcClass: "A" }),
  SEMI({ code: "KW-BASE-01", nameZh: "底座组件", nameEn: "Base assembly", spec: "通用底座 / common base", uom: "pcs", leadTimeDays: 1, standardCost: "12.3", abcClass: "B" }),
  SEMI({ code: "KW-GUARD-40", nameZh: "网罩（40cm，前后罩）", nameEn: "Guard set (40 cm, front and rear)", uom: "pcs", leadTimeDays: 2, standardCost: "6.8", abcClass: "B" }),
  SEMI({ code: "KW-GUARD-30", nameZh: "网罩（30cm，前后罩）", nameEn: "Guard set (30 cm, front and rear)", uom: "pcs", leadTimeDays: 2, standardCost: "5.1", abcClass: "B" }),
  BUY({
    code: "KW-P-STATOR-40",
    nameZh: "定子（40cm 电机）",
    nameEn: "Motor stator (40 cm)",
    spec: "铁芯叠厚 16mm",
    uom: "pcs",
    leadTimeDays: 10,
    safetyStock: "200",
    lotSizeRule: "min-max-multiple",
    lotSizeMin: "500",
    lotSizeMultiple: "100",
    standardCost: "9.8",
    abcClass: "A",
  }),
  BUY({ code: "KW-P-STATOR-30", nameZh: "定子（30cm 电机）", nameEn: "Motor stator (30 cm)", spec: "铁芯叠厚 12mm", uom: "pcs", leadTimeDays: 10, safetyStock: "150", standardCost: "7.6", abcClass: "A" }),
  BUY({ code: "KW-P-ROTOR-40", nameZh: "转子（40cm 电机）", nameEn: "Motor rotor (40 cm)", uom: "pcs", leadTimeDays: 10, safetyStock: "200", standardCost: "6.5", abcClass: "B" }),
  BUY({ code: "KW-P-ROTOR-30", nameZh: "转子（30cm 电机）", nameEn: "Motor rotor (30 cm)", uom: "pcs", leadTimeDays: 10, safetyStock: "150", standardCost: "5.2", abcClass: "B" }),
  BUY({
    code: "KW-P-CAP-1.5",
    nameZh: "运转电容 1.5µF 450V",
    nameEn: "Run capacitor 1.5 µF 450 V",
    spec: "CBB61 1.5µF±5% 450VAC",
    uom: "pcs",
    // This supplier's boxes hold 100 (the unit's own ratio), bought by the box.
    alt: [["box"]],
    purchaseUom: "box",
    leadTimeDays: 14,
    safetyStock: "300",
    lotSizeRule: "fixed",
    lotSizeQty: "1000",
    tracking: "lot",
    shelfLifeDays: 730,
    standardCost: "1.35",
    abcClass: "B",
  }),
  BUY({
    code: "KW-P-CAP-1.2",
    nameZh: "运转电容 1.2µF 450V",
    nameEn: "Run capacitor 1.2 µF 450 V",
    spec: "CBB61 1.2µF±5% 450VAC",
    uom: "pcs",
    alt: [["box", "50"]],
    purchaseUom: "box",
    leadTimeDays: 14,
    safetyStock: "200",
    tracking: "lot",
    shelfLifeDays: 730,
    standardCost: "1.2",
    abcClass: "B",
  }),
  BUY({ code: "KW-P-SWITCH", nameZh: "三档琴键开关", nameEn: "3-speed piano-key switch", spec: "250V 6A", uom: "pcs", leadTimeDays: 10, safetyStock: "100", standardCost: "3.2", abcClass: "B" }),
  BUY({
    code: "KW-P-SWITCH-OLD",
    nameZh: "旧款开关（质量问题冻结）",
    nameEn: "Old switch (blocked: quality issue)",
    uom: "pcs",
    leadTimeDays: 10,
    standardCost: "2.9",
    abcClass: "C",
  }),
  BUY({ code: "KW-P-CORD", nameZh: "电源线 1.8m（国标两插）", nameEn: "Power cord 1.8 m (CN 2-pin plug)", spec: "RVV 2×0.5mm² 1.8m", uom: "pcs", leadTimeDays: 7, safetyStock: "150", standardCost: "4.5", abcClass: "B" }),
  BUY({
    code: "KW-P-SCREW-M4",
    nameZh: "十字盘头螺钉 M4×10",
    nameEn: "Pan-head screw M4×10",
    spec: "GB/T 818 镀锌",
    uom: "pcs",
    // Bought by weight: about 500 screws to the kilogram.
    alt: [["kg", "500"]],
    purchaseUom: "kg",
    leadTimeDays: 5,
    safetyStock: "5000",
    lotSizeRule: "min-max-multiple",
    lotSizeMin: "5000",
    lotSizeMultiple: "1000",
    standardCost: "0.03",
    abcClass: "C",
    allowNegativeStock: true,
  }),
  BUY({ code: "KW-P-BEARING", nameZh: "含油轴承 Φ8", nameEn: "Sintered sleeve bearing Ø8", uom: "pcs", leadTimeDays: 10, safetyStock: "400", standardCost: "0.85", abcClass: "C" }),
  BUY({ code: "KW-P-BLADE-40", nameZh: "扇叶 40cm（AS 透明）", nameEn: "Fan blade 40 cm (clear AS)", uom: "pcs", leadTimeDays: 7, safetyStock: "100", standardCost: "3.6", abcClass: "B" }),
  BUY({ code: "KW-P-BLADE-30", nameZh: "扇叶 30cm（AS 透明）", nameEn: "Fan blade 30 cm (clear AS)", uom: "pcs", leadTimeDays: 7, safetyStock: "100", standardCost: "2.7", abcClass: "B" }),
  BUY({ code: "KW-P-GEARBOX", nameZh: "摇头齿轮箱", nameEn: "Oscillation gearbox", uom: "pcs", leadTimeDays: 12, safetyStock: "100", standardCost: "5.5", abcClass: "B" }),
  BUY({
    code: "KW-R-WIRE-ST",
    nameZh: "镀锌钢丝 Φ2.0",
    nameEn: "Galvanised steel wire Ø2.0 mm",
    uom: "kg",
    // one metre of Ø2.0 mm steel wire weighs 0.024662 kg
    alt: [["m", "0.024662"]],
    leadTimeDays: 7,
    safetyStock: "200",
    lotSizeRule: "multiple",
    lotSizeMultiple: "25",
    standardCost: "6.8",
    abcClass: "B",
  }),
  BUY({
    code: "KW-R-ABS",
    nameZh: "ABS 颗粒（本色）",
    nameEn: "ABS pellets (natural)",
    spec: "注塑级 MFI 20",
    uom: "kg",
    alt: [["bag25"]],
    purchaseUom: "bag25",
    leadTimeDays: 15,
    safetyStock: "500",
    lotSizeRule: "eoq",
    lotSizeSetupCost: "350",
    lotSizeHoldingCost: "0.12",
    tracking: "lot",
    shelfLifeDays: 365,
    standardCost: "14.5",
    abcClass: "A",
  }),
  BUY({
    code: "KW-R-CU-WIRE",
    nameZh: "漆包铜线 QZ-2 Φ0.35",
    nameEn: "Enamelled copper wire QZ-2 Ø0.35 mm",
    uom: "kg",
    leadTimeDays: 20,
    safetyStock: "50",
    lotSizeRule: "periods-of-supply",
    lotSizePeriods: 4,
    tracking: "lot",
    standardCost: "78",
    abcClass: "A",
  }),
  BUY({ code: "KW-R-CARTON-40", nameZh: "纸箱（40cm 台扇）", nameEn: "Carton (40 cm desk fan)", spec: "五层瓦楞 K=A", uom: "pcs", leadTimeDays: 5, safetyStock: "200", standardCost: "2.8", abcClass: "C" }),
  BUY({ code: "KW-R-CARTON-30", nameZh: "纸箱（30cm 台扇）", nameEn: "Carton (30 cm desk fan)", spec: "五层瓦楞 K=A", uom: "pcs", leadTimeDays: 5, safetyStock: "150", standardCost: "2.3", abcClass: "C" }),
  {
    code: "KW-C-GREASE",
    nameZh: "润滑脂（轴承用）",
    nameEn: "Bearing grease",
    itemType: "consumable",
    makeOrBuy: "buy",
    uom: "kg",
    alt: [["g"]],
    leadTimeDays: 5,
    standardCost: "25",
    abcClass: "C",
    allowNegativeStock: true,
  },
  {
    code: "KW-S-SAFETY-TEST",
    nameZh: "安规检测服务（外委）",
    nameEn: "Electrical safety testing (outsourced)",
    itemType: "service",
    makeOrBuy: "buy",
    uom: "pcs",
    leadTimeDays: 3,
    standardCost: "1500",
    abcClass: "C",
  },
  FG({ code: "KW-FAN-35-OLD", nameZh: "台扇 35cm（旧款，已淘汰）", nameEn: "Desk fan 35 cm (old model, retired)", uom: "pcs", standardCost: "70", abcClass: "C" }),
];

const TERMS = [
  { code: "EOM30", nameZh: "月结 30 天", nameEn: "30 days end of month", basis: "end_of_month", daysNet: 30 },
  { code: "EOM60", nameZh: "月结 60 天", nameEn: "60 days end of month", basis: "end_of_month", daysNet: 60 },
  { code: "NET30-2", nameZh: "发票后 30 天，10 天内付款折扣 2%", nameEn: "Net 30, 2% if paid within 10 days", basis: "invoice", daysNet: 30, discountDays: 10, discountPercent: "2" },
  { code: "PREPAY", nameZh: "款到发货", nameEn: "Payment before delivery", basis: "prepayment", daysNet: 0 },
] as const;

interface DemoPartner {
  code: string;
  nameZh: string;
  nameEn: string;
  shortName: string;
  customer?: boolean;
  supplier?: boolean;
  taxId: string;
  phone: string;
  term: string;
  currency?: string;
  creditLimit?: string;
  contact: { name: string; title: string; mobile: string; email: string };
  address: { province: string; city: string; district: string; street: string; postcode: string };
  shipping?: { province: string; city: string; district: string; street: string; postcode: string; contactName: string; contactPhone: string };
  bank?: { bankName: string; branch: string; accountNo: string };
}

const PARTNERS: DemoPartner[] = [
  {
    code: "S-MOTOR",
    nameZh: "宁波甬达电机配件有限公司",
    nameEn: "Ningbo Yongda Motor Parts Co., Ltd.",
    shortName: "甬达电机",
    supplier: true,
    taxId: "91330200MA2AB1C3X5",
    phone: "0574-8765 2301",
    term: "EOM60",
    contact: { name: "王海涛", title: "销售经理 Sales manager", mobile: "13805741201", email: "wang.haitao@yongda-motor.example" },
    address: { province: "浙江省", city: "宁波市", district: "鄞州区", street: "投资创业中心诚信路 88 号", postcode: "315105" },
    bank: { bankName: "中国工商银行", branch: "宁波鄞州支行", accountNo: "3901 1100 0920 0012 345" },
  },
  {
    code: "S-ELEC",
    nameZh: "佛山市顺德区华强电子元件厂",
    nameEn: "Foshan Shunde Huaqiang Electronic Components Factory",
    shortName: "华强电子",
    supplier: true,
    taxId: "91440606MA4UH7K2QL",
    phone: "0757-2233 8810",
    term: "EOM30",
    contact: { name: "陈晓燕", title: "业务员 Account manager", mobile: "13925001882", email: "chenxy@hq-elec.example" },
    address: { province: "广东省", city: "佛山市", district: "顺德区", street: "容桂街道华口工业区 12 号", postcode: "528303" },
    bank: { bankName: "中国农业银行", branch: "顺德容桂支行", accountNo: "4448 0101 0400 1234 5" },
  },
  {
    code: "S-PLASTIC",
    nameZh: "东莞恒塑塑胶原料有限公司",
    nameEn: "Dongguan Hengsu Plastic Materials Co., Ltd.",
    shortName: "恒塑塑胶",
    supplier: true,
    taxId: "91441900MA51XY8E2R",
    phone: "0769-8123 4567",
    term: "NET30-2",
    contact: { name: "刘志强", title: "销售总监 Sales director", mobile: "13711223344", email: "liuzq@hengsu.example" },
    address: { province: "广东省", city: "东莞市", district: "樟木头镇", street: "塑胶市场 B 区 18 号", postcode: "523620" },
    bank: { bankName: "中国建设银行", branch: "东莞樟木头支行", accountNo: "4405 0177 0085 0000 1234" },
  },
  {
    code: "S-METAL",
    nameZh: "天津钢联金属制品有限公司",
    nameEn: "Tianjin Ganglian Metal Products Co., Ltd.",
    shortName: "钢联金属",
    supplier: true,
    taxId: "91120116MA06T3LK54",
    phone: "022-5988 1200",
    term: "EOM30",
    contact: { name: "赵立新", title: "销售代表 Sales representative", mobile: "13602021888", email: "zhaolx@ganglian.example" },
    address: { province: "天津市", city: "天津市", district: "滨海新区", street: "经济技术开发区第十一大街 66 号", postcode: "300457" },
    bank: { bankName: "中国银行", branch: "天津开发区分行", accountNo: "2756 6666 0001" },
  },
  {
    code: "S-PACK",
    nameZh: "中山美印包装有限公司",
    nameEn: "Zhongshan Meiyin Packaging Co., Ltd.",
    shortName: "美印包装",
    supplier: true,
    taxId: "91442000MA52QP6D0E",
    phone: "0760-2266 3300",
    term: "EOM30",
    contact: { name: "黄丽萍", title: "客服主管 Customer service lead", mobile: "13549876543", email: "huanglp@meiyin-pack.example" },
    address: { province: "广东省", city: "中山市", district: "小榄镇", street: "工业大道中 233 号", postcode: "528415" },
    bank: { bankName: "招商银行", branch: "中山小榄支行", accountNo: "7609 0123 4510 001" },
  },
  {
    code: "S-COPPER",
    nameZh: "芜湖华铜漆包线有限公司",
    nameEn: "Wuhu Huatong Enamelled Wire Co., Ltd.",
    shortName: "华铜漆包线",
    supplier: true,
    taxId: "91340200MA2TW4R8N5",
    phone: "0553-5812 7700",
    term: "PREPAY",
    contact: { name: "孙建国", title: "销售经理 Sales manager", mobile: "13955321100", email: "sunjg@huatong-wire.example" },
    address: { province: "安徽省", city: "芜湖市", district: "鸠江区", street: "电子产业园银湖北路 9 号", postcode: "241000" },
    bank: { bankName: "交通银行", branch: "芜湖分行", accountNo: "3420 0000 1018 0100 2345 6" },
  },
  {
    code: "C-TRADE",
    nameZh: "广州南方家电贸易有限公司",
    nameEn: "Guangzhou Nanfang Appliance Trading Co., Ltd.",
    shortName: "南方家电",
    customer: true,
    supplier: true,
    taxId: "91440101MA5CK9J7B7",
    phone: "020-8356 7788",
    term: "EOM30",
    creditLimit: "500000",
    contact: { name: "林志明", title: "采购经理 Purchasing manager", mobile: "13802456789", email: "linzm@nanfang-appliance.example" },
    address: { province: "广东省", city: "广州市", district: "天河区", street: "天河路 385 号太古汇一座 1808 室", postcode: "510620" },
    shipping: { province: "广东省", city: "广州市", district: "白云区", street: "太和镇物流园 3 号仓", postcode: "510540", contactName: "何伟", contactPhone: "13922200011" },
    bank: { bankName: "中国银行", branch: "广州天河支行", accountNo: "6428 5730 1234" },
  },
  {
    code: "C-HOMEMART",
    nameZh: "华东家居连锁有限公司",
    nameEn: "East China Home Mart Chain Co., Ltd.",
    shortName: "华东家居",
    customer: true,
    taxId: "91310115MA1K4LP2Y4",
    phone: "021-6888 1000",
    term: "EOM60",
    creditLimit: "800000",
    contact: { name: "张静", title: "品类经理 Category manager", mobile: "13916881234", email: "zhangjing@homemart.example" },
    address: { province: "上海市", city: "上海市", district: "浦东新区", street: "张杨路 500 号 20 楼", postcode: "200122" },
    shipping: { province: "江苏省", city: "苏州市", district: "相城区", street: "黄埭镇物流中心 A2 库", postcode: "215143", contactName: "吴磊", contactPhone: "13862201188" },
  },
  {
    code: "C-ONLINE",
    nameZh: "杭州云购电子商务有限公司",
    nameEn: "Hangzhou Yungou E-commerce Co., Ltd.",
    shortName: "云购电商",
    customer: true,
    taxId: "91330106MA2GM3E6T7",
    phone: "0571-8799 6600",
    term: "NET30-2",
    creditLimit: "300000",
    contact: { name: "周晨", title: "供应链专员 Supply chain specialist", mobile: "15867101234", email: "zhouchen@yungou.example" },
    address: { province: "浙江省", city: "杭州市", district: "西湖区", street: "文三路 199 号创业大厦 6 楼", postcode: "310012" },
  },
  {
    code: "C-EXPORT",
    nameZh: "香港恒信进出口有限公司",
    nameEn: "Hang Shun Import & Export Ltd. (Hong Kong)",
    shortName: "恒信进出口",
    customer: true,
    taxId: "HK-61234567",
    phone: "+852 2345 6789",
    term: "PREPAY",
    currency: "USD",
    contact: { name: "Kelvin Chan 陈家豪", title: "Buyer", mobile: "+852 9123 4567", email: "kelvin.chan@hangshun.example" },
    address: { province: "香港", city: "香港", district: "九龙观塘", street: "开源道 49 号创贸广场 12 楼 1203 室", postcode: "000000" },
  },
];

// [supplier, item, price, unit?, min qty?, lead days?, preferred?, valid from, valid to, supplier's code]
const PRICES: [string, string, string, string | null, string, number | null, boolean, string | null, string | null, string | null][] = [
  ["S-MOTOR", "KW-P-STATOR-40", "9.60", null, "0", 10, true, "2026-01-01", "2026-12-31", "YD-ST40-16"],
  ["S-MOTOR", "KW-P-STATOR-40", "9.90", null, "0", 10, false, "2027-01-01", null, "YD-ST40-16"],
  ["S-MOTOR", "KW-P-STATOR-30", "7.45", null, "0", 10, true, "2026-01-01", "2026-12-31", "YD-ST30-12"],
  ["S-MOTOR", "KW-P-ROTOR-40", "6.30", null, "0", 10, true, "2026-01-01", "2026-12-31", "YD-RT40"],
  ["S-MOTOR", "KW-P-ROTOR-30", "5.05", null, "0", 10, true, "2026-01-01", "2026-12-31", "YD-RT30"],
  ["S-MOTOR", "KW-P-BEARING", "0.82", null, "1000", 10, true, null, null, "YD-BR8"],
  ["S-ELEC", "KW-P-CAP-1.5", "128.00", "box", "10", 14, true, "2026-01-01", "2026-12-31", "HQ-CBB61-155"],
  ["S-ELEC", "KW-P-CAP-1.2", "58.00", "box", "10", 14, true, "2026-01-01", "2026-12-31", "HQ-CBB61-125"],
  ["S-ELEC", "KW-P-SWITCH", "3.10", null, "500", 10, true, null, null, "HQ-KJ3-6A"],
  ["S-ELEC", "KW-P-CORD", "4.40", null, "500", 7, true, null, null, "HQ-PC18-2P"],
  ["C-TRADE", "KW-P-CORD", "4.65", null, "200", 5, false, null, null, "NF-CORD-18"],
  ["S-PLASTIC", "KW-R-ABS", "355.00", "bag25", "4", 15, true, "2026-07-01", "2026-12-31", "HS-ABS-757"],
  ["S-PLASTIC", "KW-P-BLADE-40", "3.55", null, "300", 7, true, null, null, "HS-BL40-AS"],
  ["S-PLASTIC", "KW-P-BLADE-30", "2.65", null, "300", 7, true, null, null, "HS-BL30-AS"],
  ["S-PLASTIC", "KW-P-GEARBOX", "5.40", null, "200", 12, true, null, null, "HS-GB-OSC"],
  ["S-METAL", "KW-R-WIRE-ST", "6.70", null, "100", 7, true, "2026-01-01", "2026-12-31", "GL-GW-2.0"],
  ["S-METAL", "KW-P-SCREW-M4", "14.50", "kg", "0", 5, true, null, null, "GL-M4X10-PH"],
  ["S-METAL", "KW-P-SCREW-M4", "13.80", "kg", "100", 5, false, null, null, "GL-M4X10-PH"],
  ["S-PACK", "KW-R-CARTON-40", "2.75", null, "500", 5, true, null, null, "MY-K40-5L"],
  ["S-PACK", "KW-R-CARTON-30", "2.25", null, "500", 5, true, null, null, "MY-K30-5L"],
  ["S-COPPER", "KW-R-CU-WIRE", "76.50", null, "50", 20, true, "2026-10-01", "2026-12-31", "HT-QZ2-0.35"],
];

/** A one-page PDF (hand-written, no library): the demo's specification sheet attached to KW-FAN-40. */
function specSheetPdf(): Buffer {
  const text = [
    "Kaiwu Demo Manufacturing - Specification KW-FAN-40",
    "Desk fan 40 cm, model FS40-3",
    "Supply 220 V 50 Hz, rated power 45 W, 3 speeds, oscillating",
    "Blade diameter 400 mm (clear AS), guard steel wire 2.0 mm",
    "Safety: GB 4706.1, GB 4706.27; energy class 2 (GB 12021.9)",
  ];
  const stream = `BT /F1 12 Tf 50 780 Td 16 TL ${text.map((t) => `(${t}) Tj T*`).join(" ")} ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

/** The catalog's part of the demo company, written through the commands like any user would. */
export async function seedDemo(runtime: Runtime, demo: DemoContext): Promise<void> {
  const actor = systemActor("demo-seed", demo.companyId as number);
  const categories: Record<string, number> = {};
  for (const [code, nameZh, nameEn] of CATEGORIES) categories[code] = (await execute(runtime, createUomCategory, { code, nameZh, nameEn }, actor)).id;
  const uoms: Record<string, number> = {};
  for (const u of UNITS) {
    uoms[u.code] = (await execute(runtime, createUom, { categoryId: categories[u.cat], code: u.code, nameZh: u.zh, nameEn: u.en, ratio: u.ratio, rounding: u.rounding }, actor)).id;
  }

  const items: Record<string, number> = {};
  for (const { uom, purchaseUom, salesUom, alt, ...fields } of ITEMS) {
    const input: ItemCreateInput = {
      ...fields,
      baseUomId: uoms[uom],
      ...(purchaseUom ? { purchaseUomId: uoms[purchaseUom] } : {}),
      ...(salesUom ? { salesUomId: uoms[salesUom] } : {}),
      ...(alt ? { alternativeUnits: alt.map(([code, factor]) => ({ uomId: uoms[code], ...(factor ? { factor } : {}) })) } : {}),
    };
    items[fields.code] = (await execute(runtime, createItem, input, actor)).id;
  }
  const block = async (code: string, status: "blocked" | "obsolete", reason: string) =>
    execute(runtime, setItemStatus, { id: items[code], version: 1, status, reason }, actor);
  await block("KW-P-SWITCH-OLD", "blocked", "来料批次绝缘耐压不合格，停止使用 / incoming lots failed the dielectric test");
  await block("KW-FAN-35-OLD", "obsolete", "2025 年停产 / discontinued in 2025");

  const departments = (demo.departments ?? {}) as Record<string, number>;
  const warehouses: Record<string, number> = {};
  warehouses.RM = (
    await execute(
      runtime,
      createWarehouse,
      { code: "RM", nameZh: "原材料仓", nameEn: "Raw material warehouse", departmentId: departments.WH ?? null, address: "厂区 1 号库 / Building 1" },
      actor,
    )
  ).id;
  warehouses.FG = (
    await execute(
      runtime,
      createWarehouse,
      { code: "FG", nameZh: "成品仓", nameEn: "Finished goods warehouse", departmentId: departments.WH ?? null, address: "厂区 3 号库 / Building 3" },
      actor,
    )
  ).id;
  const locs = async () => Object.fromEntries((await listLocations(runtime.database.db, demo.companyId as number, { pageSize: 500 })).items.map((l) => [l.code as string, l.id as number]));
  let locations = await locs();
  const shelves: [parent: string, code: string, zh: string, en: string][] = [
    ["RM/STOCK", "RM/STOCK/A01", "A 区 01 货架（电子元件）", "Aisle A rack 01 (electronic parts)"],
    ["RM/STOCK", "RM/STOCK/A02", "A 区 02 货架（电机配件）", "Aisle A rack 02 (motor parts)"],
    ["RM/STOCK", "RM/STOCK/B01", "B 区 01 地堆（塑胶原料）", "Aisle B floor 01 (plastics)"],
    ["RM/STOCK", "RM/STOCK/B02", "B 区 02 地堆（钢丝、铜线）", "Aisle B floor 02 (wire)"],
    ["RM/STOCK", "RM/STOCK/C01", "C 区 01（包装材料）", "Aisle C 01 (packaging)"],
    ["FG/STOCK", "FG/STOCK/Z1", "成品 1 区", "Finished goods zone 1"],
    ["FG/STOCK", "FG/STOCK/Z2", "成品 2 区", "Finished goods zone 2"],
  ];
  for (const [parent, code, nameZh, nameEn] of shelves) {
    await execute(runtime, createLocation, { parentId: locations[parent], code, nameZh, nameEn, kind: "internal" }, actor);
  }
  locations = await locs();

  const terms: Record<string, number> = {};
  for (const t of TERMS) terms[t.code] = (await execute(runtime, createPaymentTerm, t as never, actor)).id;

  const partners: Record<string, number> = {};
  for (const p of PARTNERS) {
    const addresses = [{ kind: "billing" as const, ...p.address, isDefault: true }];
    if (p.shipping) addresses.push({ kind: "shipping" as never, ...p.shipping, isDefault: true });
    const row = await execute(
      runtime,
      createPartner,
      {
        code: p.code,
        nameZh: p.nameZh,
        nameEn: p.nameEn,
        shortName: p.shortName,
        isCustomer: p.customer ?? false,
        isSupplier: p.supplier ?? false,
        taxId: p.taxId,
        phone: p.phone,
        currency: p.currency ?? "CNY",
        paymentTermId: terms[p.term],
        ...(p.creditLimit ? { creditLimit: p.creditLimit } : {}),
        contacts: [{ ...p.contact, isPrimary: true }],
        addresses,
        ...(p.bank ? { banks: [{ ...p.bank, accountName: p.nameZh, isDefault: true }] } : {}),
      },
      actor,
    );
    partners[p.code] = row.id;
  }

  const supplierItems: Record<string, number> = {};
  for (const [sup, item, price, unit, minQty, lead, preferred, from, to, code] of PRICES) {
    const row = await execute(
      runtime,
      createSupplierItem,
      {
        partnerId: partners[sup],
        itemId: items[item],
        price,
        minQty,
        preferred,
        ...(unit ? { uomId: uoms[unit] } : {}),
        ...(lead !== null ? { leadTimeDays: lead } : {}),
        ...(from ? { validFrom: from } : {}),
        ...(to ? { validTo: to } : {}),
        ...(code ? { supplierItemCode: code } : {}),
      },
      actor,
    );
    supplierItems[`${sup}/${item}/${minQty}/${from ?? ""}`] = row.id;
  }

  // A retired supplier relationship, kept for history.
  const old = await execute(
    runtime,
    createPartner,
    {
      code: "S-OLDSWITCH",
      nameZh: "温州旧开关电器厂（已冻结）",
      nameEn: "Wenzhou Old Switch Electric Factory (blocked)",
      isCustomer: false,
      isSupplier: true,
      paymentTermId: terms.EOM30,
      contacts: [{ name: "郑先生", mobile: "13705770000" }],
    },
    actor,
  );
  await execute(runtime, setPartnerStatus, { id: old.id, version: old.version, status: "blocked", reason: "开关批量质量问题 / repeated switch quality failures" }, actor);
  partners["S-OLDSWITCH"] = old.id;

  const pdf = storeContent(runtime, specSheetPdf());
  await execute(
    runtime,
    uploadAttachment,
    {
      entity: "item",
      entityId: items["KW-FAN-40"],
      fileName: "KW-FAN-40 技术规格书 Specification.pdf",
      mime: "application/pdf",
      sizeBytes: pdf.sizeBytes,
      sha256: pdf.sha256,
      description: "产品技术规格 / product specification",
    },
    actor,
  );

  demo.uomCategories = categories;
  demo.uoms = uoms;
  demo.items = items;
  demo.warehouses = warehouses;
  demo.locations = locations;
  demo.paymentTerms = terms;
  demo.partners = partners;
  demo.supplierItems = supplierItems;
}
