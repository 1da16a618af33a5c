# Golden values for ntklc.special tests (ErfTest, GaussianTest). Run: python3 golden_special.py
# mpmath at 50 significant digits; the printed values are pasted into the tests.
import mpmath as mp
mp.mp.dps = 50
for x in ["0.1", "0.3", "0.46875", "0.5", "1", "2", "3.5", "4", "4.5", "6", "10", "26"]:
    print("erf(%s) = %s   erfc(%s) = %s" % (x, mp.nstr(mp.erf(mp.mpf(x)), 20), x, mp.nstr(mp.erfc(mp.mpf(x)), 20)))
for x in ["-37", "-10", "-5", "-1.5", "0.25", "1", "3", "8"]:
    print("Phi(%s) = %s" % (x, mp.nstr(mp.ncdf(mp.mpf(x)), 20)))
