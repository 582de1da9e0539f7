/*
 * float: IEEE arithmetic as seen through printf, libm functions, fenv.h rounding modes and
 * exception flags, NaN/infinity/signed-zero printing, conversions (including RISC-V's saturating
 * fcvt and NaN boxing, through inline asm) and strtod. Inputs are volatile so that the compiler
 * cannot fold anything: every result is computed by the (emulated) FPU or by the guest's libm.
 */
#include "check.h"
#include <fenv.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>

static volatile double vd_one = 1.0, vd_two = 2.0, vd_three = 3.0, vd_zero = 0.0, vd_half = 0.5;
static volatile double vd_max = DBL_MAX, vd_min = DBL_MIN, vd_neg1 = -1.0;
static volatile float vf_one = 1.0f, vf_three = 3.0f, vf_tenth = 0.1f;

static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static void flags(const char *what) {
    int f = fetestexcept(FE_ALL_EXCEPT);
    printf("%-22s flags:%s%s%s%s%s%s\n", what, f & FE_INVALID ? " invalid" : "",
           f & FE_DIVBYZERO ? " divbyzero" : "", f & FE_OVERFLOW ? " overflow" : "",
           f & FE_UNDERFLOW ? " underflow" : "", f & FE_INEXACT ? " inexact" : "",
           f ? "" : " none");
    feclearexcept(FE_ALL_EXCEPT);
}

static const char *classname(double d) {
    switch (fpclassify(d)) {
    case FP_NAN: return "nan";
    case FP_INFINITE: return "inf";
    case FP_ZERO: return "zero";
    case FP_SUBNORMAL: return "subnormal";
    default: return "normal";
    }
}

static long fcvt_w_d(double d) { long r; __asm__ volatile("fcvt.w.d %0,%1,rtz" : "=r"(r) : "f"(d)); return r; }
static long fcvt_wu_d(double d) { long r; __asm__ volatile("fcvt.wu.d %0,%1,rtz" : "=r"(r) : "f"(d)); return r; }
static long fcvt_l_d(double d) { long r; __asm__ volatile("fcvt.l.d %0,%1,rtz" : "=r"(r) : "f"(d)); return r; }
static unsigned long fcvt_lu_d(double d) { unsigned long r; __asm__ volatile("fcvt.lu.d %0,%1,rtz" : "=r"(r) : "f"(d)); return r; }
static long fcvt_w_s_rmm(float f) { long r; __asm__ volatile("fcvt.w.s %0,%1,rmm" : "=r"(r) : "f"(f)); return r; }
static long fclass_d(double d) { long r; __asm__ volatile("fclass.d %0,%1" : "=r"(r) : "f"(d)); return r; }
static double fmin_d(double a, double b) { double r; __asm__ volatile("fmin.d %0,%1,%2" : "=f"(r) : "f"(a), "f"(b)); return r; }
static double fmax_d(double a, double b) { double r; __asm__ volatile("fmax.d %0,%1,%2" : "=f"(r) : "f"(a), "f"(b)); return r; }
/* put raw 64 bits in an f register and use it as a single: not NaN-boxed -> canonical NaN */
static uint32_t fadd_s_raw(uint64_t raw) {
    uint32_t r;
    __asm__ volatile("fmv.d.x ft0,%1\n\tfmv.w.x ft1,zero\n\tfadd.s ft0,ft0,ft1\n\tfmv.x.w %0,ft0"
                     : "=r"(r) : "r"(raw) : "ft0", "ft1");
    return r;
}
static uint64_t fmv_x_d_of_single(float f) {
    uint64_t r;
    __asm__ volatile("fmv.d %0,%1" : "=f"(*(double *)&r) : "f"(f));
    return r;
}

int main(void) {
    /* --- arithmetic and printf ------------------------------------------------------------- */
    double third = vd_one / vd_three;
    printf("1/3 = %.17g %a %e\n", third, third, third);
    printf("2/3f = %.9g %a\n", (double)(2.0f / vf_three), (double)(2.0f / vf_three));
    printf("0.1f*3 = %.9g, 0.1+0.2 = %.17g\n", (double)(vf_tenth * 3), 0.1 + vd_one * 0.2);
    printf("sqrt2 = %.17g fma(1/3,3,-1) = %a\n", sqrt(vd_two), fma(third, vd_three, -vd_one));
    printf("sqrtf(2) = %.9g fmaf = %a\n", (double)sqrtf((float)vd_two),
           (double)fmaf((float)third, vf_three, -vf_one));
    printf("%%g: %g %g %g %g %G\n", 1e-5 * vd_one, 123456789.0 * vd_one, 0.0001 * vd_one,
           100000.0 * vd_one, 1e300 * vd_one);
    printf("%%f: %.0f %.1f %.3f %10.4f %-10.2f|\n", 2.5 * vd_one, 0.05 * vd_one, -1.0005 * vd_one,
           M_PI * vd_one, M_E * vd_one);
    long double ld = (long double)vd_one / 3;
    printf("long double 1/3 = %.30Lg\n", ld);

    /* --- libm ------------------------------------------------------------------------------- */
    double x = 0.75 * vd_one;
    printf("sin=%.17g cos=%.17g tan=%.17g\n", sin(x), cos(x), tan(x));
    printf("asin=%.17g acos=%.17g atan=%.17g atan2=%.17g\n", asin(x), acos(x), atan(x),
           atan2(-x, -vd_two));
    printf("exp=%.17g log=%.17g log2=%.17g log10=%.17g\n", exp(x), log(x), log2(x), log10(x));
    printf("pow=%.17g cbrt=%.17g hypot=%.17g expm1=%.17g log1p=%.17g\n", pow(x, 3.3), cbrt(x * 10),
           hypot(x, vd_two), expm1(x * 1e-8), log1p(x * 1e-8));
    printf("sinh=%.17g cosh=%.17g tanh=%.17g erf=%.17g\n", sinh(x), cosh(x), tanh(x), erf(x));
    printf("tgamma=%.17g lgamma=%.17g j0=%.17g\n", tgamma(x * 7), lgamma(x * 70), j0(x));
    printf("fmod=%.17g remainder=%.17g\n", fmod(10.5 * vd_one, vd_three),
           remainder(10.5 * vd_one, vd_three));
    printf("floor=%g ceil=%g trunc=%g round=%g (of -2.5)\n", floor(-2.5 * vd_one),
           ceil(-2.5 * vd_one), trunc(-2.5 * vd_one), round(-2.5 * vd_one));
    int ex;
    double mant = frexp(1234.5 * vd_one, &ex);
    double ip, fp = modf(-3.75 * vd_one, &ip);
    printf("frexp=%g*2^%d ldexp=%g modf=%g,%g copysign=%g nextafter=%a\n", mant, ex,
           ldexp(vd_one, -1074), ip, fp, copysign(vd_three, -vd_zero), nextafter(vd_one, vd_two));
    printf("sinf=%.9g expf=%.9g logf=%.9g powf=%.9g\n", (double)sinf((float)x),
           (double)expf((float)x), (double)logf((float)x), (double)powf((float)x, 2.5f));
    double acc = 0;
    for (int i = 1; i <= 2000; i++) acc += sin(i * vd_one) * exp(-i / 1000.0) + sqrt(i);
    printf("series=%.17g\n", acc);

    /* --- rounding modes ---------------------------------------------------------------------- */
    static const struct { int mode; const char *name; } modes[] = {
        {FE_TONEAREST, "nearest"}, {FE_TOWARDZERO, "towardzero"},
        {FE_DOWNWARD, "downward"}, {FE_UPWARD, "upward"}};
    for (unsigned i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        CHECK_EQ(fesetround(modes[i].mode), 0);
        CHECK_EQ(fegetround(), modes[i].mode);
        volatile double q = vd_one / vd_three, nq = vd_neg1 / vd_three;
        volatile float qf = vf_one / vf_three;
        volatile double s = sqrt(vd_two);
        volatile float narrowed = (float)(vd_one / vd_three);
        printf("%-10s rint(2.5)=%g rint(-2.5)=%g nearbyint(3.5)=%g nearbyint(-0.5)=%g lrint(-1.5)=%ld"
               " llrint(2.5)=%lld\n",
               modes[i].name, rint(2.5 * vd_one), rint(-2.5 * vd_one), nearbyint(3.5 * vd_one),
               nearbyint(-vd_half), lrint(-1.5 * vd_one), llrint(2.5 * vd_one));
        printf("%-10s 1/3=%a -1/3=%a 1/3f=%a sqrt2=%a (float)(1/3)=%a\n", modes[i].name, q, nq,
               (double)qf, s, (double)narrowed);
        printf("%-10s max+max=%g -max-max=%g min/3=%a 1+eps/2=%a\n", modes[i].name, vd_max + vd_max,
               -vd_max - vd_max, vd_min / 3, vd_one + DBL_EPSILON / 2 * vd_one);
    }
    fesetround(FE_TONEAREST);

    /* --- exception flags --------------------------------------------------------------------- */
    volatile double r;
    feclearexcept(FE_ALL_EXCEPT);
    flags("start");
    r = vd_one + vd_two;
    flags("1+2");
    r = vd_one / vd_three;
    flags("1/3");
    r = vd_one / vd_zero;
    flags("1/0");
    r = vd_zero / vd_zero;
    flags("0/0");
    r = sqrt(vd_neg1);
    flags("sqrt(-1)");
    r = vd_max * vd_two;
    flags("max*2");
    r = vd_min / 1e10;
    flags("min/1e10");
    r = (float)vd_max;
    flags("(float)DBL_MAX");
    volatile int iv = (int)(vd_max);
    flags("(int)DBL_MAX");
    feraiseexcept(FE_OVERFLOW | FE_INEXACT);
    flags("feraiseexcept");
    fenv_t env;
    r = vd_one / vd_zero;
    fegetenv(&env);
    feclearexcept(FE_ALL_EXCEPT);
    fesetenv(&env);
    flags("fegetenv/fesetenv");
    (void)r; (void)iv;

    /* --- NaN, infinity, signed zero ---------------------------------------------------------- */
    double inf = vd_one / vd_zero, nan_ = vd_zero / vd_zero, nzero = -vd_zero;
    printf("inf: %f %e %g %a %F | %f %E\n", inf, inf, inf, inf, inf, -inf, -inf);
    printf("nan: %f %e %g %a %F | %f | %5.1f|\n", nan_, nan_, nan_, nan_, nan_, -nan_, nan_);
    printf("negzero: %f %g %a signbit=%d 0==-0:%d 1/-0=%g\n", nzero, nzero, nzero, signbit(nzero) != 0,
           nzero == 0.0, vd_one / nzero);
    printf("0/0 bits=%016llx  (float)0/0 bits=%08x  NAN bits=%016llx -NAN bits=%016llx\n",
           (unsigned long long)dbits(nan_), fbits((float)vd_zero / (float)vd_zero),
           (unsigned long long)dbits(NAN), (unsigned long long)dbits(-NAN));
    printf("isnan=%d isinf=%d isfinite=%d nan==nan:%d nan!=nan:%d nan<1:%d\n", isnan(nan_) != 0,
           isinf(-inf) != 0, isfinite(vd_max) != 0, nan_ == nan_, nan_ != nan_, nan_ < 1);
    printf("classify: %s %s %s %s %s\n", classname(inf), classname(nan_), classname(nzero),
           classname(vd_min / 4), classname(vd_one));
    printf("fmin(nan,1)=%g fmax(nan,1)=%g fmin(-0,0)=%g fmax(-0,0)=%g fmin(nan,nan) bits=%016llx\n",
           fmin_d(nan_, vd_one), fmax_d(nan_, vd_one), fmin_d(nzero, vd_zero), fmax_d(nzero, vd_zero),
           (unsigned long long)dbits(fmin_d(nan_, nan_)));
    printf("fclass: -inf=%lx -norm=%lx -sub=%lx -0=%lx +0=%lx +sub=%lx +norm=%lx +inf=%lx qnan=%lx\n",
           fclass_d(-inf), fclass_d(-vd_one), fclass_d(-vd_min / 4), fclass_d(nzero),
           fclass_d(vd_zero), fclass_d(vd_min / 4), fclass_d(vd_one), fclass_d(inf), fclass_d(nan_));
    printf("nanbox: boxed 1.0f + 0 = %08x, unboxed 1.0f + 0 = %08x, fmv.d of 2.0f = %016llx\n",
           fadd_s_raw(0xffffffff3f800000ULL), fadd_s_raw(0x000000003f800000ULL),
           (unsigned long long)fmv_x_d_of_single(2.0f * vf_one));

    /* --- conversions --------------------------------------------------------------------------- */
    volatile int32_t big32 = 16777217;
    volatile int64_t big64 = 9007199254740993LL;
    volatile uint64_t umax = UINT64_MAX;
    printf("(float)16777217=%.1f (double)2^53+1=%.1f (double)UINT64_MAX=%.1f (float)UINT64_MAX=%.1f\n",
           (double)(float)big32, (double)big64, (double)umax, (double)(float)umax);
    printf("(int)3.99=%d (int)-3.99=%d (long)-2.5=%ld (unsigned)4e9=%u (uint64)1.8e19=%llu\n",
           (int)(3.99 * vd_one), (int)(-3.99 * vd_one), (long)(-2.5 * vd_one),
           (unsigned)(4e9 * vd_one), (unsigned long long)(1.8e19 * vd_one));
    feclearexcept(FE_ALL_EXCEPT);
    printf("fcvt.w.d: nan=%ld inf=%ld -inf=%ld 3e9=%ld -3e9=%ld -0.9=%ld\n", fcvt_w_d(nan_),
           fcvt_w_d(inf), fcvt_w_d(-inf), fcvt_w_d(3e9 * vd_one), fcvt_w_d(-3e9 * vd_one),
           fcvt_w_d(-0.9 * vd_one));
    flags("fcvt.w.d saturating");
    printf("fcvt.wu.d: -1=%ld nan=%ld 5e9=%lx  fcvt.l.d: nan=%ld 1e19=%ld  fcvt.lu.d: -5=%lu inf=%lu\n",
           fcvt_wu_d(vd_neg1), fcvt_wu_d(nan_), fcvt_wu_d(5e9 * vd_one), fcvt_l_d(nan_),
           fcvt_l_d(1e19 * vd_one), fcvt_lu_d(-5 * vd_one), fcvt_lu_d(inf));
    flags("fcvt invalid");
    printf("fcvt.w.s rmm: 2.5=%ld -2.5=%ld 0.5=%ld\n", fcvt_w_s_rmm(2.5f * vf_one),
           fcvt_w_s_rmm(-2.5f * vf_one), fcvt_w_s_rmm(0.5f * vf_one));
    printf("(float)1e40=%f (float)1e-50=%g (double)(float)0.1=%.17g\n", (double)(float)(1e40 * vd_one),
           (double)(float)(1e-50 * vd_one), (double)vf_tenth);
    const char *strs[] = {"0x1.8p3", "1e-320", "-inf", "nan", "2.2250738585072011e-308",
                          "123456789012345678901234567890", "0.1", "1e400", "-0"};
    for (unsigned i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        char *end;
        errno = 0;
        double d = strtod(strs[i], &end);
        printf("strtod(%s)=%.17g %a %s errno=%s\n", strs[i], d, d, classname(d),
               errno == ERANGE ? "ERANGE" : errno ? "other" : "0");
    }
    printf("strtof(3.4028236e38)=%g\n", (double)strtof("3.4028236e38", NULL));
    return DONE("float");
}
