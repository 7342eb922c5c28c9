# Authoring tool for the demo exploded views (run by hand, not by the build):
# writes app/src/catalog/drawings/*.svg and prints the callout positions
# (drawing units) that app/src/catalog/demo_data.rs gives the BOM lines.
# The preview files it also writes under /tmp show the bubbles the page draws.
import math, os
OUT=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'app', 'src', 'catalog', 'drawings')
W,H=800,520
STYLE="""<style>
.o{fill:none;stroke:#1f2d3d;stroke-width:1.8;stroke-linejoin:round;stroke-linecap:round}
.p{fill:#f1f4f8;stroke:#1f2d3d;stroke-width:1.8;stroke-linejoin:round}
.m{fill:#dbe3ec;stroke:#1f2d3d;stroke-width:1.8;stroke-linejoin:round}
.d{fill:#b9c6d4;stroke:#1f2d3d;stroke-width:1.8;stroke-linejoin:round}
.k{fill:#5d6d80;stroke:#1f2d3d;stroke-width:1.2}
.r{fill:#3d4b5c;stroke:#1f2d3d;stroke-width:1}
.h{fill:none;stroke:#8796a8;stroke-width:1}
.c{fill:none;stroke:#7d8da0;stroke-width:1;stroke-dasharray:18 4 3 4}
.e{fill:none;stroke:#7d8da0;stroke-width:1;stroke-dasharray:5 4}
.l{fill:none;stroke:#1f2d3d;stroke-width:1}
.t{font:11px sans-serif;fill:#5b6b7d}
.b{font:bold 13px sans-serif;fill:#1f2d3d;letter-spacing:.08em}
.s{font:12px sans-serif;fill:#1f2d3d}
</style>"""
class D:
    def __init__(s): s.el=[]; s.callouts={}
    def add(s,x): s.el.append(x)
    def rect(s,x,y,w,h,c='p',rx=0): s.add(f'<rect class="{c}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{rx}"/>')
    def path(s,d,c='p'): s.add(f'<path class="{c}" d="{d}"/>')
    def line(s,x1,y1,x2,y2,c='o'): s.add(f'<line class="{c}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>')
    def ell(s,cx,cy,rx,ry,c='p'): s.add(f'<ellipse class="{c}" cx="{cx:.1f}" cy="{cy:.1f}" rx="{rx:.1f}" ry="{ry:.1f}"/>')
    def circ(s,cx,cy,r,c='p'): s.add(f'<circle class="{c}" cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}"/>')
    def text(s,x,y,t,c='t',anchor='start'): s.add(f'<text class="{c}" x="{x}" y="{y}" text-anchor="{anchor}">{t}</text>')
    # cylinder along x, right face visible
    def hcyl(s,x1,x2,cy,r,c='m',face='p',k=0.32):
        rx=r*k
        s.path(f'M{x1:.1f},{cy-r:.1f} H{x2:.1f} V{cy+r:.1f} H{x1:.1f} A{rx:.1f},{r:.1f} 0 0 1 {x1:.1f},{cy-r:.1f} Z',c)
        s.ell(x2,cy,rx,r,face)
        return rx
    # cylinder along y, top face visible
    def vcyl(s,cx,y1,y2,r,c='m',face='p',k=0.3):
        ry=r*k
        s.path(f'M{cx-r:.1f},{y1:.1f} V{y2:.1f} A{r:.1f},{ry:.1f} 0 0 0 {cx+r:.1f},{y2:.1f} V{y1:.1f} Z',c)
        s.ell(cx,y1,r,ry,face)
        return ry
    # oblique box: front face x,y,w,h; depth d going up-right
    def box(s,x,y,w,h,d,front='m',top='p',side='d'):
        ox,oy=d*0.7,d*0.45
        s.path(f'M{x},{y} L{x+ox:.1f},{y-oy:.1f} H{x+w+ox:.1f} L{x+w},{y} Z',top)
        s.path(f'M{x+w},{y} L{x+w+ox:.1f},{y-oy:.1f} V{y+h-oy:.1f} L{x+w},{y+h} Z',side)
        s.rect(x,y,w,h,front)
    def callout(s,n,px,py,cx,cy):
        # leader from the part (dot) to the callout centre; the page draws the bubble
        s.add(f'<circle class="k" cx="{px}" cy="{py}" r="2.6"/>')
        s.line(px,py,cx,cy,'l')
        s.callouts[n]=(cx,cy)
    def frame(s,model,code,name,number):
        s.rect(6,6,W-12,H-12,'h')
        x,y=W-292,H-70
        s.add(f'<rect x="{x}" y="{y}" width="280" height="58" fill="#fff" stroke="#1f2d3d" stroke-width="1.2"/>')
        s.line(x,y+22,x+280,y+22,'h'); s.line(x+170,y+22,x+170,y+58,'h')
        s.text(x+10,y+16,'NORDLIFT','b'); s.text(x+270,y+16,number,'t','end')
        s.text(x+10,y+38,f'{model} · {code}','s'); s.text(x+10,y+52,name,'t')
        s.text(x+180,y+38,'Exploded view','t'); s.text(x+180,y+52,'Not to scale · 1/1','t')
    def svg(s,title):
        body='\n'.join(s.el)
        return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}">\n<title>{title}</title>\n{STYLE}\n<rect width="{W}" height="{H}" fill="#ffffff"/>\n{body}\n</svg>\n'

def drv():
    d=D(); cy=215
    d.line(30,cy,690,cy,'c')
    # 5 encoder
    d.hcyl(48,88,cy,26,'d'); d.ell(88,cy,4,10,'k'); d.line(48,cy-26+6,30,cy-40,'o'); d.path(f'M30,{cy-40} q-10,20 0,60','o')
    # 4 brake coil (ring)
    d.hcyl(130,160,cy,70,'d'); d.ell(160,cy,22.4*0.55,38,'m'); d.ell(160,cy,8,20,'k')
    for i in range(-2,3): d.line(132,cy+i*22,158,cy+i*22,'h')
    # 3 brake pads: two arc segments
    d.path(f'M196,{cy-72} q-14,30 -10,58 h12 q-3,-26 8,-52 Z','d')
    d.path(f'M196,{cy+72} q-14,-30 -10,-58 h12 q-3,26 8,52 Z','d')
    # 1 machine body
    d.hcyl(240,420,cy,96,'m'); 
    for x in range(262,410,16): d.line(x,cy-96,x,cy+96,'h')
    d.ell(420,cy,31,96,'p'); d.ell(420,cy,14,42,'m'); d.ell(420,cy,5,14,'k')
    d.box(300,cy-128,64,24,26,'m','p','d')  # terminal box
    # shaft
    d.hcyl(420,470,cy,12,'d')
    # 2 sheave
    d.hcyl(492,542,cy,74,'m')
    for i in range(5): d.ell(500+i*9,cy,22,74-4,'h')
    d.ell(542,cy,23.7,74,'p'); d.ell(542,cy,8,22,'k')
    # 8 ropes down from sheave
    for i in range(5): d.line(520+i*6,cy+70,520+i*6,440,'o')
    # 7 rope gripper box around the ropes
    d.box(498,372,76,48,28,'m','p','d'); d.rect(512,386,48,20,'d',3)
    # 6 bedplate + dampers
    d.box(200,345,300,18,60,'p','p','d')
    for x in (220,300,400,470):
        d.vcyl(x,400,418,13,'d')
    d.callout(1,330,cy-60,330,60)
    d.callout(2,535,cy-60,600,70)
    d.callout(3,186,cy-44,200,60)
    d.callout(4,145,cy-60,120,60)
    d.callout(5,68,cy+20,60,320)
    d.callout(6,300,412,300,470)
    d.callout(7,560,396,650,372)
    d.callout(8,520,432,460,448)
    d.frame('LX-200','DRV','Traction drive','D-LX200-DRV rev B')
    return d

def dor():
    d=D()
    # 3 door track (long bar)
    d.box(90,120,600,22,18,'m','p','d')
    # 2 hanger rollers on track (two pairs)
    for x in (180,250,470,540):
        d.circ(x,108,16,'p'); d.circ(x,108,5,'k')
    # 1 operator drive box upper middle
    d.box(320,40,130,52,34,'m','p','d'); d.circ(350,66,12,'d'); d.line(370,56,432,56,'h'); d.line(370,66,432,66,'h'); d.line(370,76,432,76,'h')
    # 5 belt loop
    d.path('M150,170 H650 A10,10 0 0 1 650,190 H150 A10,10 0 0 1 150,170 Z','o')
    d.line(150,180,650,180,'e')
    # door panels (context, not on the BOM)
    d.rect(170,210,200,230,'p'); d.rect(410,210,200,230,'p')
    d.line(170,210,370,440,'h'); d.line(410,210,610,440,'h')
    # 4 light curtain strips at the leading edges
    for x in (372,396):
        d.rect(x,206,12,238,'d',3)
        for y in range(216,440,14): d.circ(x+6,y,2,'k')
    # 6 sill guide shoes
    for x in (220,420): d.box(x,452,40,14,10,'d','p','d')
    # 7 lock contact
    d.box(640,220,40,56,16,'m','p','d'); d.rect(650,236,20,10,'k',2)
    d.callout(1,385,50,385,22)
    d.callout(2,250,108,250,60)
    d.callout(3,620,131,720,110)
    d.callout(4,402,320,480,300)
    d.callout(5,120,180,60,200)
    d.callout(6,240,459,160,488)
    d.callout(7,660,250,720,220)
    d.frame('LX-200','DOR','Car door operator','D-LX200-DOR rev C')
    return d

def ctl():
    d=D()
    # cabinet open, exploded components on the right
    d.box(60,70,250,380,60,'m','p','d')
    d.rect(76,86,218,348,'p')
    # rails in cabinet
    for y in (150,250,350): d.rect(82,y,206,8,'d')
    # 1 main board (exploded right, top)
    d.box(380,60,170,110,8,'m','p','d')
    for i in range(6): d.rect(395+i*24,75,16,12,'k',1)
    d.rect(400,110,60,40,'d',2); d.rect(480,110,50,40,'d',2)
    # 2 inverter (big box with heatsink fins)
    d.box(600,150,120,160,40,'m','p','d')
    for y in range(165,300,12): d.line(606,y,714,y,'h')
    d.rect(625,170,70,32,'k',3)
    # 3 safety relay module (din rail module)
    d.box(380,220,56,90,14,'m','p','d'); d.circ(408,245,6,'k'); d.rect(390,270,36,8,'d')
    # 4 contactor
    d.box(460,230,60,80,20,'p','p','d'); d.rect(472,245,36,14,'d',2); d.circ(490,285,9,'d')
    # 5 battery pack
    d.box(390,360,140,70,30,'d','p','d'); d.rect(404,375,20,8,'k'); d.rect(496,375,20,8,'k')
    # 6 cabinet fan
    d.rect(580,360,90,90,'m',6); d.circ(625,405,36,'p'); d.circ(625,405,8,'k')
    for a in range(0,360,60):
        r=math.radians(a); d.line(625+10*math.cos(r),405+10*math.sin(r),625+32*math.cos(r+0.6),405+32*math.sin(r+0.6),'o')
    # 7 landing call board, in the cabinet door area
    d.box(120,300,120,40,6,'m','p','d'); d.circ(150,320,8,'d'); d.circ(180,320,8,'d')
    d.callout(1,465,90,465,30)
    d.callout(2,660,200,760,150)
    d.callout(3,408,300,400,340)
    d.callout(4,500,300,560,330)
    d.callout(5,460,400,460,470)
    d.callout(6,650,380,740,380)
    d.callout(7,180,320,180,400)
    d.frame('LX-200','CTL','Controller cabinet','D-LX200-CTL rev A')
    return d

def pwr():
    d=D()
    # 4 tank (box) centre
    d.box(230,230,300,180,90,'m','p','d')
    d.rect(250,260,10,120,'p',3); 
    for y in range(270,380,18): d.line(250,y,260,y,'h')
    # 3 valve block on top (exploded up)
    d.box(420,110,90,60,30,'d','p','d')
    for x in (436,462,488): d.circ(x,140,7,'k')
    # 2 motor + 1 pump inside tank shown exploded down/left? draw pump assembly to the left
    d.vcyl(120,150,260,40,'m')   # motor
    for y in range(165,255,14): d.line(80,y,160,y,'h')
    d.vcyl(120,290,360,32,'d')   # pump
    d.line(120,262,120,288,'c')
    # 6 cooler right
    d.box(600,200,120,120,24,'m','p','d')
    for x in range(612,712,8): d.line(x,206,x,314,'h')
    d.circ(660,260,28,'o')
    # 7 oil can
    d.box(620,380,60,76,30,'p','p','d'); d.rect(630,400,40,30,'d',2)
    d.text(650,420,'VG46','t','middle')
    # 8 pressure switch on valve block
    d.vcyl(560,70,110,10,'d'); d.rect(548,48,24,22,'m',3)
    # 9 return filter element
    d.vcyl(360,60,130,22,'p'); 
    for y in range(70,130,8): d.line(338,y,382,y,'h')
    d.callout(1,120,320,40,330)
    d.callout(2,140,200,60,150)
    d.callout(3,470,130,470,40)
    d.callout(4,300,320,300,470)
    d.callout(5,680,430,740,420)
    d.callout(6,700,220,760,180)
    d.callout(7,560,60,620,40)
    d.callout(8,360,100,280,60)
    d.frame('HX-500','PWR','Hydraulic power unit','D-HX500-PWR rev B')
    return d

def cyl():
    d=D(); cx=330
    d.line(cx,20,cx,500,'c')
    # 5 guide bush (exploded up)
    d.vcyl(cx,60,84,40,'d')
    # 2 ram seal kit (rings)
    for i,y in enumerate((110,126,142)): d.ell(cx,y,42,12,'o')
    # 1 cylinder body
    d.vcyl(cx,170,430,54,'m')
    for y in range(200,420,30): d.line(cx-54,y,cx+54,y,'h')
    d.ell(cx,170,24,7,'k')
    # 6 base plate
    d.box(cx-110,455,220,18,60,'p','p','d')
    for x in (cx-90,cx+70): d.vcyl(x,440,458,6,'k')
    # 3 rupture valve at side near bottom
    d.box(cx+70,380,50,40,16,'d','p','d')
    # 4 hose to the right
    d.path(f'M{cx+136},400 C{cx+230},400 {cx+240},300 {cx+330},290','o')
    d.path(f'M{cx+136},412 C{cx+236},412 {cx+250},312 {cx+330},302','o')
    d.rect(cx+330,284,22,24,'d',3)
    d.callout(1,cx-54,300,200,300)
    d.callout(2,cx+42,126,460,120)
    d.callout(3,cx+100,395,cx+130,470)
    d.callout(4,cx+262,318,cx+330,380)
    d.callout(5,cx-40,72,200,72)
    d.callout(6,cx-60,464,cx-170,480)
    d.frame('HX-500','CYL','Cylinder and ram','D-HX500-CYL rev A')
    return d

def plt():
    d=D()
    # 1 floor plate
    d.path('M120,330 L300,250 H700 L520,330 Z','m')
    d.path('M120,330 H520 V346 H120 Z','d'); d.path('M520,330 L700,250 V266 L520,346 Z','d')
    for i in range(1,12): d.line(120+i*34,330,300+i*34,250,'h') if 300+i*34<=700 else None
    # 7 toe guard below front edge
    d.path('M120,360 H520 V400 L480,420 H150 L120,400 Z','p')
    # 2 gate panels (exploded above back)
    for x in (330,470):
        d.rect(x,70,120,150,'p')
        for i in range(1,8): d.line(x+i*15,70,x+i*15,220,'h')
        for j in range(1,10): d.line(x,70+j*15,x+120,70+j*15,'h')
    # 3 interlock
    d.box(600,120,36,50,14,'d','p','d'); d.circ(618,145,5,'k')
    # 4 guide shoe (rollers) left
    d.box(40,200,60,40,16,'m','p','d')
    for (x,y) in ((55,190),(85,190),(70,250)): d.circ(x,y,10,'p'); d.circ(x,y,3,'k')
    # 5 load cell under the platform
    d.vcyl(600,380,420,22,'d')
    # 6 control station
    d.box(180,110,70,100,20,'p','p','d')
    for y in (130,155,180): d.circ(215,y,8,'m')
    d.callout(1,450,300,540,380)
    d.callout(2,390,140,390,40)
    d.callout(3,618,150,690,120)
    d.callout(4,70,220,40,300)
    d.callout(5,600,400,660,440)
    d.callout(6,215,155,150,80)
    d.callout(7,300,410,300,470)
    d.frame('HX-500','PLT','Platform and gates','D-HX500-PLT rev A')
    return d

out=[]
for model,code,name,fn in (('LX-200','DRV','Traction drive',drv),('LX-200','DOR','Car door operator',dor),('LX-200','CTL','Controller cabinet',ctl),('HX-500','PWR','Hydraulic power unit',pwr),('HX-500','CYL','Cylinder and ram',cyl),('HX-500','PLT','Platform and gates',plt)):
    d=fn()
    fname=f"{model.lower().replace('-','')}-{code.lower()}.svg"
    open(os.path.join(OUT,fname),'w').write(d.svg(f'{model} {code} {name}: exploded view'))
    out.append((model,code,fname,sorted(d.callouts.items())))
for model,code,fname,c in out:
    print(f'    ("{model}", "{code}", include_str!("drawings/{fname}"), &[' + ', '.join(f'({n}, {int(x)}, {int(y)})' for n,(x,y) in c) + ']),')
for model,code,fname,c in out:
    s=open(os.path.join(OUT,fname)).read()
    b=''.join(f'<circle cx="{x}" cy="{y}" r="15" fill="#fff" stroke="#0b6e7f" stroke-width="2"/><text x="{x}" y="{y+5}" text-anchor="middle" font="bold 14px sans-serif" font-weight="bold" font-family="sans-serif" fill="#0b6e7f">{n}</text>' for n,(x,y) in c)
    open('/tmp/preview-'+fname,'w').write(s.replace('</svg>',b+'</svg>'))
