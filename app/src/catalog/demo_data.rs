//! The demo catalogue's data: the models, their assemblies and bills of
//! materials, superseded parts, units, price agreements, and the generator of
//! the large catalogue (deterministic: the same part numbers everywhere).

/// (code, name, description)
pub(super) const MODELS: &[(&str, &str, &str)] = &[
    (
        "LX-200",
        "LX-200 passenger lift",
        "Machine-room-less traction lift, 630 kg / 8 persons, 1.0 m/s.",
    ),
    (
        "HX-500",
        "HX-500 hydraulic freight lift",
        "Direct-acting hydraulic goods lift, 5,000 kg, for warehouses and terminals.",
    ),
];

/// (model, assembly code, name, [(part number, description, list price in cents, quantity)])
pub(super) type Bom = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, i64, i64)],
);

pub(super) const BOMS: &[Bom] = &[
    (
        "LX-200",
        "DRV",
        "Traction drive",
        &[
            (
                "NL-1101-001",
                "Gearless traction machine 6.7 kW, 1.0 m/s",
                748_000,
                1,
            ),
            (
                "NL-1101-014",
                "Traction sheave Ø320 mm, 5 grooves for 8 mm rope",
                96_500,
                1,
            ),
            (
                "NL-1104-022",
                "Brake pad set, dual-circuit disc brake",
                18_400,
                1,
            ),
            ("NL-1104-030", "Brake coil 207 V DC", 31_200, 2),
            ("NL-1106-002", "Absolute encoder 2048 ppr, EnDat", 54_900, 1),
            ("NL-1108-010", "Machine bedplate vibration damper", 6_800, 4),
            (
                "NL-1110-003",
                "Rope gripper, unintended car movement protection",
                212_000,
                1,
            ),
            (
                "NL-1112-008",
                "Suspension rope 8 mm, 8×19 steel core (per metre)",
                1_450,
                60,
            ),
        ],
    ),
    (
        "LX-200",
        "DOR",
        "Car door operator",
        &[
            (
                "NL-1201-004",
                "Door operator drive, variable frequency, 24 V DC",
                164_000,
                1,
            ),
            (
                "NL-1203-011",
                "Door hanger roller Ø60 mm, polyurethane",
                2_350,
                4,
            ),
            (
                "NL-1203-012",
                "Door track 1100 mm, extruded aluminium",
                18_900,
                1,
            ),
            ("NL-1205-020", "Light curtain 2000 mm, 154 beams", 68_500, 1),
            ("NL-1207-001", "Door drive belt HTD 5M, 15 mm", 4_200, 1),
            ("NL-1209-006", "Door sill guide shoe, nylon", 950, 4),
            ("NL-1211-002", "Door lock contact, car door", 7_600, 1),
        ],
    ),
    (
        "LX-200",
        "CTL",
        "Controller cabinet",
        &[
            (
                "NL-1301-001",
                "Lift controller main board LCB-3",
                236_000,
                1,
            ),
            (
                "NL-1302-007",
                "Frequency inverter 11 kW, regenerative",
                312_500,
                1,
            ),
            ("NL-1304-015", "Safety circuit relay module", 28_700, 1),
            (
                "NL-1305-030",
                "Contactor 3-pole 25 A, 24 V DC coil",
                6_450,
                2,
            ),
            ("NL-1307-002", "Emergency battery pack 24 V 7 Ah", 15_800, 1),
            ("NL-1309-010", "Cabinet fan 120 mm with filter", 4_900, 1),
            ("NL-1311-004", "Landing call board, serial bus", 11_200, 1),
        ],
    ),
    (
        "HX-500",
        "PWR",
        "Hydraulic power unit",
        &[
            (
                "NL-2101-003",
                "Submersible screw pump 380 l/min",
                389_000,
                1,
            ),
            ("NL-2101-020", "Pump motor 37 kW, submersible", 452_000, 1),
            (
                "NL-2103-005",
                "Control valve block, soft start and stop",
                276_000,
                1,
            ),
            ("NL-2105-012", "Oil tank 400 l with level gauge", 84_000, 1),
            ("NL-2107-001", "Hydraulic oil ISO VG 46 (20 l)", 9_800, 20),
            ("NL-2109-018", "Oil cooler, air-blast, 5 kW", 118_500, 1),
            ("NL-2111-006", "Pressure switch 0–100 bar", 12_400, 1),
            ("NL-2113-009", "Return line filter element 25 µm", 3_650, 1),
        ],
    ),
    (
        "HX-500",
        "CYL",
        "Cylinder and ram",
        &[
            (
                "NL-2201-002",
                "Hydraulic cylinder Ø150 mm, 4.2 m stroke",
                1_128_000,
                2,
            ),
            ("NL-2203-010", "Ram seal kit Ø150 mm", 22_600, 2),
            ("NL-2205-004", "Rupture valve DN50", 41_500, 2),
            ("NL-2207-015", "High-pressure hose DN40, 3 m", 16_900, 2),
            ("NL-2209-001", "Cylinder head guide bush", 14_200, 2),
            (
                "NL-2211-003",
                "Cylinder base plate with anchor bolts",
                38_000,
                2,
            ),
        ],
    ),
    (
        "HX-500",
        "PLT",
        "Platform and gates",
        &[
            (
                "NL-2301-006",
                "Platform floor plate, chequered steel 3000×2500",
                264_000,
                1,
            ),
            ("NL-2303-012", "Bi-parting gate panel, mesh", 78_500, 2),
            ("NL-2305-008", "Gate interlock, heavy duty", 18_800, 2),
            (
                "NL-2307-002",
                "Platform guide shoe, roller, 3 wheels",
                24_600,
                4,
            ),
            ("NL-2309-014", "Overload sensor, load cell 10 t", 46_200, 1),
            (
                "NL-2311-001",
                "Platform control station, stainless",
                59_000,
                1,
            ),
            ("NL-2313-020", "Toe guard 3000 mm", 21_400, 1),
        ],
    ),
];

/// (old part, description, list price, replacement): parts that were replaced
/// and stay in the catalogue so that old orders and drawings still find them.
pub(super) const SUPERSEDED: &[(&str, &str, i64, &str)] = &[
    (
        "NL-1104-020",
        "Brake pad set, single-circuit (superseded)",
        16_900,
        "NL-1104-021",
    ),
    (
        "NL-1104-021",
        "Brake pad set, dual-circuit, first version (superseded)",
        17_800,
        "NL-1104-022",
    ),
    (
        "NL-1203-010",
        "Door hanger roller Ø60 mm, rubber (superseded)",
        2_100,
        "NL-1203-011",
    ),
    (
        "NL-2203-009",
        "Ram seal kit Ø150 mm, NBR (superseded)",
        19_900,
        "NL-2203-010",
    ),
    (
        "NL-1305-028",
        "Contactor 3-pole 25 A, 230 V AC coil (superseded)",
        5_900,
        "NL-1305-030",
    ),
];

/// (serial, model, customer, site, installed (YYYY-MM-DD), warranty years)
pub(super) const UNITS: &[(&str, &str, &str, &str, &str, i64)] = &[
    (
        "LX2-2019-00417",
        "LX-200",
        "GlobalPort Terminals",
        "Terminal 2 passenger building, Rotterdam",
        "2019-04-11",
        2,
    ),
    (
        "LX2-2024-01186",
        "LX-200",
        "GlobalPort Terminals",
        "Gate house North, Rotterdam",
        "2024-09-02",
        3,
    ),
    (
        "HX5-2021-00088",
        "HX-500",
        "GlobalPort Terminals",
        "Warehouse B, dock 4, Rotterdam",
        "2021-06-21",
        2,
    ),
    (
        "HX5-2025-00214",
        "HX-500",
        "GlobalPort Terminals",
        "Warehouse C, dock 1, Antwerp",
        "2025-03-14",
        3,
    ),
    (
        "HX5-2023-00151",
        "HX-500",
        "Harbor Logistics",
        "Cold store, Klaipėda harbour",
        "2023-11-07",
        2,
    ),
    (
        "LX2-2022-00903",
        "LX-200",
        "Harbor Logistics",
        "Office building, Klaipėda",
        "2022-02-18",
        2,
    ),
    (
        "LX2-2020-00655",
        "LX-200",
        "Jon Tanner",
        "Tanner residence, Tallinn",
        "2020-08-30",
        5,
    ),
];

/// (organisation, discount %, label)
pub(super) const AGREEMENTS: &[(&str, i64, &str)] = &[
    ("Baltic Lift Service", 25, "Reseller agreement"),
    ("Iberia Agents", 15, "Agent agreement"),
    ("GlobalPort Terminals", 12, "Global account agreement"),
];

/// A generated catalogue part: (part number, description, list price, stock, lead
/// time, models it fits).
pub(super) struct GenPart {
    pub(super) number: String,
    pub(super) description: String,
    pub(super) price: i64,
    pub(super) stock: i64,
    pub(super) lead: i64,
    pub(super) fits: &'static [&'static str],
}

/// A small deterministic generator (SplitMix64), so that demo data is the same
/// on every machine without a seeded RNG dependency.
pub(super) struct Mix(pub(super) u64);
impl Mix {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(super) fn below(&mut self, n: u64) -> i64 {
        (self.next() % n) as i64
    }
}

pub(super) const BOTH: &[&str] = &["LX-200", "HX-500"];
pub(super) const LX: &[&str] = &["LX-200"];
pub(super) const HX: &[&str] = &["HX-500"];

/// The generated catalogue: about 2,000 parts in eight families.
pub(super) fn generated() -> Vec<GenPart> {
    let mut mix = Mix(2026);
    let mut out = Vec::new();
    let mut push = |family: u32,
                    n: &mut u32,
                    description: String,
                    base: i64,
                    fits: &'static [&'static str],
                    mix: &mut Mix| {
        *n += 1;
        let stocked = mix.below(10) < 7;
        out.push(GenPart {
            number: format!("NL-{family}-{:03}", *n % 1000),
            description,
            price: base + mix.below((base / 2).max(50) as u64),
            stock: if stocked { 1 + mix.below(120) } else { 0 },
            lead: if stocked { 2 } else { 5 + mix.below(40) },
            fits,
        });
    };
    // Fasteners: 4 families of up to 999 numbers each.
    let (mut n, mut family) = (0, 5001);
    for size in ["M4", "M5", "M6", "M8", "M10", "M12", "M16", "M20"] {
        for len in [10, 12, 16, 20, 25, 30, 35, 40, 50, 60, 70, 80] {
            for (kind, std) in [
                ("Hex bolt", "DIN 933"),
                ("Socket head cap screw", "ISO 4762"),
                ("Countersunk screw", "ISO 10642"),
                ("Flange bolt", "DIN 6921"),
            ] {
                for finish in ["zinc-plated", "A2 stainless", "A4 stainless"] {
                    if n == 999 {
                        n = 0;
                        family += 1;
                    }
                    push(
                        family,
                        &mut n,
                        format!("{kind} {size}×{len} {std}, {finish}"),
                        15,
                        BOTH,
                        &mut mix,
                    );
                }
            }
        }
    }
    let (mut n, family) = (0, 5101);
    for size in ["M4", "M5", "M6", "M8", "M10", "M12", "M16", "M20"] {
        for kind in [
            "Hex nut ISO 4032",
            "Nyloc nut DIN 985",
            "Flat washer ISO 7089",
            "Spring washer DIN 127",
        ] {
            for finish in ["zinc-plated", "A2 stainless", "A4 stainless"] {
                push(
                    family,
                    &mut n,
                    format!("{kind} {size}, {finish}"),
                    8,
                    BOTH,
                    &mut mix,
                );
            }
        }
    }
    // Seals: O-rings.
    let (mut n, family) = (0, 6101);
    for id in (10..=118).step_by(4) {
        for cs in ["2", "3", "4", "5.33"] {
            for material in ["NBR 70", "FKM 75", "EPDM 70"] {
                push(
                    family,
                    &mut n,
                    format!("O-ring {id}×{cs} mm, {material}"),
                    40,
                    HX,
                    &mut mix,
                );
            }
        }
    }
    // Bearings.
    let (mut n, family) = (0, 6201);
    for series in ["60", "62", "63"] {
        for bore in 0..=12 {
            for seal in ["-2RS", "-2Z", ""] {
                push(
                    family,
                    &mut n,
                    format!("Deep-groove ball bearing {series}{bore:02}{seal}"),
                    650,
                    BOTH,
                    &mut mix,
                );
            }
        }
    }
    // Electrical.
    let (mut n, family) = (0, 7101);
    for amps in [2, 4, 6, 10, 16, 20, 25, 32] {
        for kind in [
            "Fuse gG 10×38",
            "Miniature circuit breaker 1-pole C",
            "Miniature circuit breaker 3-pole C",
        ] {
            push(
                family,
                &mut n,
                format!("{kind} {amps} A"),
                420,
                BOTH,
                &mut mix,
            );
        }
    }
    for (kind, fits) in [
        ("Limit switch, roller lever", BOTH),
        ("Door zone sensor, magnetic", LX),
        ("Inductive proximity sensor M18", BOTH),
        ("Push button with LED", BOTH),
    ] {
        for variant in ["IP54", "IP65", "IP67"] {
            for voltage in ["24 V DC", "48 V DC", "230 V AC"] {
                push(
                    family,
                    &mut n,
                    format!("{kind}, {variant}, {voltage}"),
                    1_800,
                    fits,
                    &mut mix,
                );
            }
        }
    }
    // Door and car parts (LX-200).
    let (mut n, family) = (0, 8101);
    for part in [
        "Door roller",
        "Guide shoe insert",
        "Counter-roller",
        "Sill guide",
        "Door gib",
    ] {
        for size in ["40 mm", "50 mm", "60 mm", "75 mm"] {
            for material in ["polyurethane", "nylon", "rubber-tyred", "steel"] {
                push(
                    family,
                    &mut n,
                    format!("{part} {size}, {material}"),
                    600,
                    LX,
                    &mut mix,
                );
            }
        }
    }
    // Hydraulic fittings (HX-500).
    let (mut n, family) = (0, 8201);
    for fitting in [
        "Straight connector",
        "Elbow 90°",
        "Tee",
        "Bulkhead connector",
        "Pressure gauge adapter",
    ] {
        for dn in [
            "DN10", "DN12", "DN16", "DN20", "DN25", "DN32", "DN40", "DN50",
        ] {
            for series in ["L", "S"] {
                push(
                    family,
                    &mut n,
                    format!("{fitting} {dn} {series}-series, DIN 2353"),
                    900,
                    HX,
                    &mut mix,
                );
            }
        }
    }
    for hose in ["2SN", "4SP"] {
        for dn in [
            "DN10", "DN12", "DN16", "DN20", "DN25", "DN32", "DN40", "DN50",
        ] {
            for len in ["0.5", "1", "1.5", "2", "3", "4"] {
                push(
                    family,
                    &mut n,
                    format!("High-pressure hose {dn}, {len} m, {hose}"),
                    2_400,
                    HX,
                    &mut mix,
                );
            }
        }
    }
    out
}

/// The exploded views: (model, assembly, SVG, [(item number, callout x, y)]).
/// The SVGs and positions come from `scripts/demo-drawings.py`.
pub(super) type Drawing = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(i64, i64, i64)],
);

pub(super) const DRAWINGS: &[Drawing] = &[
    (
        "LX-200",
        "DRV",
        include_str!("drawings/lx200-drv.svg"),
        &[
            (1, 330, 60),
            (2, 600, 70),
            (3, 200, 60),
            (4, 120, 60),
            (5, 60, 320),
            (6, 300, 470),
            (7, 650, 372),
            (8, 460, 448),
        ],
    ),
    (
        "LX-200",
        "DOR",
        include_str!("drawings/lx200-dor.svg"),
        &[
            (1, 385, 22),
            (2, 250, 60),
            (3, 720, 110),
            (4, 480, 300),
            (5, 60, 200),
            (6, 160, 488),
            (7, 720, 220),
        ],
    ),
    (
        "LX-200",
        "CTL",
        include_str!("drawings/lx200-ctl.svg"),
        &[
            (1, 465, 30),
            (2, 760, 150),
            (3, 400, 340),
            (4, 560, 330),
            (5, 460, 470),
            (6, 740, 380),
            (7, 180, 400),
        ],
    ),
    (
        "HX-500",
        "PWR",
        include_str!("drawings/hx500-pwr.svg"),
        &[
            (1, 40, 330),
            (2, 60, 150),
            (3, 470, 40),
            (4, 300, 470),
            (5, 740, 420),
            (6, 760, 180),
            (7, 620, 40),
            (8, 280, 60),
        ],
    ),
    (
        "HX-500",
        "CYL",
        include_str!("drawings/hx500-cyl.svg"),
        &[
            (1, 200, 300),
            (2, 460, 120),
            (3, 460, 470),
            (4, 660, 380),
            (5, 200, 72),
            (6, 160, 480),
        ],
    ),
    (
        "HX-500",
        "PLT",
        include_str!("drawings/hx500-plt.svg"),
        &[
            (1, 540, 380),
            (2, 390, 40),
            (3, 690, 120),
            (4, 40, 300),
            (5, 660, 440),
            (6, 150, 80),
            (7, 300, 470),
        ],
    ),
];
