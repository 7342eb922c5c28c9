//! The demo courses: operation, maintenance, safety and partner service
//! courses for the demo models, with lesson text of our own.

use super::rules::{Audience, Level};

/// (lesson title, minutes, Markdown)
type Lesson = (&'static str, i64, &'static str);
/// (module title, its lessons)
type Module = (&'static str, &'static [Lesson]);

pub(super) struct DemoCourse {
    pub slug: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub audience: Audience,
    pub level: Level,
    pub model: Option<&'static str>,
    pub validity_months: Option<i64>,
    pub prerequisites: &'static [&'static str],
    /// (module title, [(lesson title, minutes, Markdown)])
    pub modules: &'static [Module],
}

pub(super) const COURSES: &[DemoCourse] = &[
    DemoCourse {
        slug: "lift-safety-essentials",
        title: "Lift safety essentials",
        summary: "The hazards of lifts and lift shafts, and the rules that keep operators, technicians and passengers safe.",
        audience: Audience::Both,
        level: Level::Foundation,
        model: None,
        validity_months: Some(12),
        prerequisites: &[],
        modules: &[
            ("Hazards", &[
                ("Where lifts hurt people", 10, "## The four hazards\n\nAlmost every serious lift accident comes from one of four hazards:\n\n1. **Falling** into an open shaft, from a landing or from the car roof.\n2. **Crushing** between the car and the shaft wall, the counterweight or the pit floor.\n3. **Shearing** at the landing sill when a car moves with its doors open.\n4. **Electrical shock** from the controller, the motor or the landing call stations.\n\nEach of them is kept away by a safety device: door locks, the safety gear, the pit stop switch, the inspection control. A lift is safe as long as nobody **bypasses** one of them.\n\n> Never bridge a door contact or a safety circuit to get a lift running, not even for a moment. Most fatal accidents in lift work start this way.\n"),
                ("Reading the safety circuit", 12, "## One chain of contacts\n\nThe safety circuit is a single chain of contacts in series: landing door locks, car door contact, overspeed governor, safety gear, buffers, pit and car-roof stop switches. If **any** contact opens, the drive stops and the brake drops.\n\n| Contact | Opens when |\n|---|---|\n| Landing door lock | a landing door is not closed and locked |\n| Car door contact | the car door is open |\n| Governor switch | the car overspeeds |\n| Pit stop switch | someone is working in the pit |\n\nThe controller shows which part of the chain is open. Use it to find a fault, and fix the cause, never the symptom.\n"),
            ]),
            ("Safe work", &[
                ("Lock-out, tag-out and the car roof", 15, "## Before you touch anything\n\n- Tell the building's contact that the lift goes out of service.\n- Put barriers and a sign at **every** landing you will open.\n- Switch off and lock the main switch; keep the key on you.\n- Check that the lift is dead: press a call button and watch.\n\n## Getting on the car roof\n\nOpen the landing door with the triangular key only when the car is below the landing. Press the car-roof **stop switch** before you step on, and switch to **inspection** control. Only then release the stop switch. Keep one hand on the handrail, and stay inside the balustrade.\n"),
            ]),
        ],
    },
    DemoCourse {
        slug: "lx-200-operation",
        title: "LX-200 Operation",
        summary: "Everyday operation of the LX-200 passenger lift: controls, modes, what the displays say and what to do when the lift stops.",
        audience: Audience::Customer,
        level: Level::Foundation,
        model: Some("LX-200"),
        validity_months: Some(24),
        prerequisites: &[],
        modules: &[
            ("Getting to know the LX-200", &[
                ("The lift at a glance", 8, "## Machine-room-less traction\n\nThe LX-200 carries 8 persons (630 kg) at 1.0 m/s. Its gearless motor and its controller sit **in the shaft**: there is no machine room. The controller cabinet is built into the top landing's door frame, behind a locked panel.\n\n- **Car operating panel**: floor buttons, door open and close, alarm, and the key switch for independent service.\n- **Landing stations**: call buttons with a position indicator.\n- **Controller panel** (top landing): main switch, lighting switch, emergency release instructions.\n"),
                ("Operating modes", 10, "## Normal, independent, fire\n\n| Mode | Who uses it | What happens |\n|---|---|---|\n| Normal | everyone | answers landing and car calls |\n| Independent service | staff, by key | ignores landing calls, doors stay open until a car call |\n| Fire service | firefighters | returns to the main floor, then only car calls |\n| Out of service | staff, by key | parks at the main floor with doors closed |\n\nUse independent service to move goods or furniture: the lift will not leave while you load. Remember to switch back, or the lift stays unavailable to everyone else.\n"),
            ]),
            ("When the lift stops", &[
                ("Reading the display and the alarm", 10, "## The position indicator\n\nA flashing floor number means the lift is in **inspection** or has stopped on a fault. A steady **E** followed by a number is an error code: note it down before you do anything else, because it tells the technician where to look.\n\n## The alarm\n\nThe alarm button connects the car with the 24-hour service centre. Check once a month that it does: press it for three seconds and wait for the voice. Log the test.\n"),
                ("Trapped passengers", 12, "## Stay calm, stay in contact\n\n1. Talk to the passengers through the landing door or the alarm line. Tell them help is coming and that they are safe: the car cannot fall.\n2. Call the service number on the controller panel, with the serial number of the unit.\n3. **Do not** try to open the doors or move the car yourself unless you hold the *Emergency release and passenger rescue* training.\n\nNote the time the call came in. The response time of your support tier counts from your call.\n"),
            ]),
        ],
    },
    DemoCourse {
        slug: "lx-200-daily-checks",
        title: "LX-200 Daily checks and first-line care",
        summary: "The checks an operator makes every day and every month, and the small faults they can clear without a technician.",
        audience: Audience::Customer,
        level: Level::Intermediate,
        model: Some("LX-200"),
        validity_months: Some(24),
        prerequisites: &["lx-200-operation"],
        modules: &[
            ("Checks", &[
                ("The daily round", 10, "## Five minutes a day\n\n- Ride the lift to every floor once: it should stop level with the landing (within 5 mm).\n- Watch the doors: no scraping, no bouncing, reopening when the light curtain is interrupted.\n- Listen: a new noise is the earliest warning of a worn roller or a dry guide.\n- Look at the sills: grit in a sill track is the most common cause of door faults.\n- Check the car lighting and the emergency light.\n\nWrite down what you find, even when it is nothing. A log with dates helps the technician far more than \"it has been noisy lately\".\n"),
                ("Monthly checks", 8, "## Once a month\n\n1. Test the alarm to the service centre and log it.\n2. Test the emergency lighting: switch off the car light circuit for one minute.\n3. Clean the landing and car sills with a vacuum cleaner, never with compressed air.\n4. Check that the pit and the top landing panel are locked.\n"),
            ]),
            ("First-line care", &[
                ("Faults you may clear", 12, "## Door faults\n\nMost stops are door faults. With the lift in **out of service**, vacuum the sill of the landing where the lift stopped, and check for anything caught in the door track. Then return the lift to normal.\n\n## When to stop\n\nIf the same fault comes back within a day, or the display shows an error code other than **E21** (door timeout), leave the lift out of service and open a support case with the code. Never reset the controller more than once.\n"),
            ]),
        ],
    },
    DemoCourse {
        slug: "hx-500-operation",
        title: "HX-500 Safe operation",
        summary: "Loading, operating and parking the HX-500 hydraulic freight lift safely in a warehouse or terminal.",
        audience: Audience::Customer,
        level: Level::Foundation,
        model: Some("HX-500"),
        validity_months: Some(24),
        prerequisites: &[],
        modules: &[
            ("Loading", &[
                ("Rated load and how to spread it", 12, "## 5,000 kg, spread evenly\n\nThe rated load of the HX-500 is 5,000 kg **including** the pallet truck or forklift that brings the goods in. The platform's load sensor stops the lift above 110 % of the rated load.\n\n- Put the heaviest goods in the middle of the platform.\n- Never load one side only: a point load over 1,500 kg on one edge strains the guide shoes.\n- Strap loads that can tip or roll.\n"),
                ("Forklifts on the platform", 10, "## Drive in slowly, straight\n\nA forklift must enter straight and at walking pace: braking hard on the platform throws the car against its guides. Lower the forks to the floor, set the parking brake and switch off the engine before the lift moves. The driver may ride along only where the site's risk assessment allows it.\n"),
            ]),
            ("Operating", &[
                ("Controls and the gates", 8, "## Hold-to-run and automatic\n\nThe HX-500 has two control modes. In **hold-to-run**, the lift moves only while the button is pressed, and stops as soon as it is released. In **automatic**, one press sends it to the landing. The vertical gates must be fully closed for either mode; a gate that does not close all the way is a fault to report, not to force.\n"),
                ("Parking and the end of the shift", 6, "## Leave it safe\n\nAt the end of the shift, send the platform to the lowest landing: a hydraulic lift parked low keeps its oil in the tank, not in the cylinder. Close the gates, switch to **out of service** with the key and take the key with you.\n"),
            ]),
        ],
    },
    DemoCourse {
        slug: "hx-500-hydraulic-maintenance",
        title: "HX-500 Hydraulic maintenance",
        summary: "For partner technicians: the HX-500's power unit, oil, valves and cylinder, and how to maintain them to Nordlift's schedule.",
        audience: Audience::Partner,
        level: Level::Intermediate,
        model: Some("HX-500"),
        validity_months: Some(24),
        prerequisites: &["lift-safety-essentials"],
        modules: &[
            ("The power unit", &[
                ("Pump, motor and valve block", 15, "## How the platform rises\n\nA submerged screw pump, driven by a 22 kW motor, pushes oil through the **valve block** into the direct-acting cylinder. To go down, the down valve opens and the platform's own weight pushes the oil back to the tank. The speed is set by the flow valves, not by the motor.\n\nThe valve block holds: the up valve, the down valve, the pressure relief valve, the manual lowering valve and the hand pump connection.\n"),
                ("Oil: levels, temperature and samples", 12, "## The oil is the lift\n\n- Check the level with the platform at the lowest landing.\n- Normal working temperature is 30–50 °C; above 60 °C the controller limits trips.\n- Take an oil sample every 12 months and send it with the unit's serial number. Water over 500 ppm or particles over ISO 4406 18/16/13 mean an oil change.\n\nUse only HLP 46 oil: a different grade changes the valves' timing.\n"),
            ]),
            ("Cylinder and safety", &[
                ("The rupture valve", 12, "## The last line of defence\n\nThe rupture valve sits at the cylinder's inlet. If a hose bursts, the oil flow rises above its setting and the valve closes, holding the platform. Test it every year: with the platform empty at the top, open the test valve and check that the platform stops within the distance on the unit's data plate. Record the result.\n"),
                ("Maintenance schedule", 10, "## Every 3, 6 and 12 months\n\n| Interval | Task |\n|---|---|\n| 3 months | oil level, leaks, gate contacts, guide shoes |\n| 6 months | valve block settings, hose condition, pit |\n| 12 months | oil sample, rupture valve test, load test at 110 % |\n\nOrder replacement hoses and seals through Careport against the unit's serial number: the parts list of the unit shows only what fits it.\n"),
            ]),
        ],
    },
    DemoCourse {
        slug: "lx-200-service-technician",
        title: "LX-200 Service technician",
        summary: "For partner technicians: the LX-200's drive, brake, doors and controller; diagnosis from the error log; preventive maintenance.",
        audience: Audience::Partner,
        level: Level::Advanced,
        model: Some("LX-200"),
        validity_months: Some(36),
        prerequisites: &["lift-safety-essentials"],
        modules: &[
            ("Drive and brake", &[
                ("The gearless machine", 15, "## A permanent-magnet motor in the shaft\n\nThe LX-200's machine is a gearless permanent-magnet motor on a bedplate at the top of the guide rails. Its traction sheave drives six 6.5 mm steel ropes at 2:1 roping. An absolute encoder on the motor gives the controller its position.\n\nReplace ropes as a set when any rope shows more than 6 broken wires over one lay length, or its diameter has fallen by 6 %.\n"),
                ("Brake adjustment", 15, "## Two independent circuits\n\nThe brake has two independent halves; each alone must hold the car with 125 % of the rated load. Check the air gap of each half (0.3–0.5 mm) with the feeler gauge, and the brake monitoring switches in the controller's service menu. Never adjust one half with the other released.\n"),
            ]),
            ("Doors and diagnosis", &[
                ("Doors: rollers, gibs and the light curtain", 12, "## 80 % of call-outs\n\nMost LX-200 call-outs are door faults. Check the landing door rollers and gibs for wear, the door coupler's engagement (8–10 mm), and the light curtain's alignment. Worn door rollers are the single most ordered LX-200 part: order the 50 mm polyurethane roller set through Careport.\n"),
                ("Reading the error log", 12, "## Codes, counts and times\n\nThe controller keeps the last 250 faults with their time and floor. Sort by count: a fault that repeats on one floor points to that landing's door; a fault that moves with the car points to the car door or the controller. Export the log to USB before you reset anything, and attach it to the support case.\n"),
            ]),
        ],
    },
    DemoCourse {
        slug: "emergency-release-and-rescue",
        title: "Emergency release and passenger rescue",
        summary: "Freeing trapped passengers safely: when you may do it, how to move the car by hand, and how to help people out.",
        audience: Audience::Both,
        level: Level::Intermediate,
        model: None,
        validity_months: Some(12),
        prerequisites: &["lift-safety-essentials"],
        modules: &[
            ("Rescue", &[
                ("Before a rescue", 10, "## Two people, one plan\n\nA rescue needs two trained people: one at the controller, one at the landing. Switch off the main switch first; a car that restarts during a rescue is the greatest danger. Keep talking to the passengers throughout.\n"),
                ("Moving the car by hand", 15, "## Brake release\n\nOn the LX-200, the emergency release is on the controller panel at the top landing. Release the brake in short steps; the car moves towards the heavier side. Watch the **door zone** light: when it is on, the car is level with a landing within the unlocking zone. Stop there.\n\nOn the HX-500, open the manual lowering valve to bring the platform down to the next landing below.\n"),
                ("Helping passengers out", 8, "## Out, and looked after\n\nOpen the landing door with the triangular key only when the door zone light is on. Help passengers out one at a time; mind the gap and any step. Close the door, check it is locked, and leave the lift out of service until a technician has found the cause. Record the rescue in the unit's log.\n"),
            ]),
        ],
    },
    DemoCourse {
        slug: "ordering-parts-in-careport",
        title: "Ordering spare parts in Careport",
        summary: "Finding the right part for a unit from its exploded drawings, ordering it, and following the order.",
        audience: Audience::Both,
        level: Level::Foundation,
        model: None,
        validity_months: None,
        prerequisites: &[],
        modules: &[
            ("Parts and orders", &[
                ("Finding the right part", 8, "## Start from the unit\n\nOpen **My equipment** and choose the unit by its serial number. Its page lists only the parts that fit it. Open an assembly's exploded drawing, click the numbered callout of the part you need, and its line in the parts list is highlighted with its price and availability.\n\nA part that has been **replaced** shows its replacement; order the replacement.\n"),
                ("Ordering and following up", 7, "## Cart, order, history\n\nYour cart is kept on the server: add parts from your phone in the plant room and submit from your desk. Give your purchase-order reference at checkout. The order's page shows every status change; **Reorder** puts the same parts in your cart again.\n"),
            ]),
        ],
    },
];
