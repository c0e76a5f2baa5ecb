/* A stand-in for Windows 10's bcryptprimitives.dll, which Wine 8.0 lacks.
 * Go's runtime (1.24+) takes its random bytes from ProcessPrng; this one asks
 * advapi32's RtlGenRandom (exported as SystemFunction036), which Wine has.
 * Used only by the tests that run Windows programs under Wine. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
