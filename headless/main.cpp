#include "cli/commandline.h"

int main(int argc, char **argv)
{
    return baricadr::runCommandLine(argc, argv);
}
